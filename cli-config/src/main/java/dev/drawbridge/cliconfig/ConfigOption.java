package dev.drawbridge.cliconfig;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code --config FILE} option, as a picocli mixin on each command that reads a configuration file
 * ({@link OptionDefaults} finds it by its name).
 */
public final class ConfigOption {
    /** The option's name without dashes. */
    static final String KEY = "config";

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML configuration file: any option below as 'name: value' (without the dashes); the command line, "
                    + "then the environment, win over it (default: ${DEFAULT-VALUE})")
    Path file;

    /** The file the options were read from, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
