/**
 * The programs' settings beyond the command line: {@link dev.drawbridge.cliconfig.OptionDefaults} gives each option the
 * command line left out its value from the environment ({@code DRAWBRIDGE_<OPTION>}), then from a YAML configuration
 * file ({@link dev.drawbridge.cliconfig.ConfigFile}), through picocli's default-value provider; and
 * {@link dev.drawbridge.cliconfig.ProgramVersion} answers {@code --version}; {@link dev.drawbridge.cliconfig.LogFormat} switches
 * the log between text and JSON ({@code --log-format}).
 */
package dev.drawbridge.cliconfig;
