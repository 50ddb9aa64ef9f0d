package dev.drawbridge.cliconfig;

import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where an option that the command line leaves out gets its value, as picocli's default-value provider, so that the
 * precedence is: the command line, then the environment variable {@code <prefix><OPTION>} (e.g. {@code --tunnel-port}:
 * {@code DRAWBRIDGE_TUNNEL_PORT}), then the configuration file's key of the option's name without dashes
 * ({@code tunnel-port: 8444}), then the option's built-in default.
 * <p>
 * The configuration file is the command's {@code --config FILE} ({@link ConfigOption}), else the file named by the
 * environment variable {@code <prefix>CONFIG}, else the one the installed package names with the system property
 * {@value #PACKAGE_CONFIG_PROPERTY} if it exists, else none. Every key must be an option of one of the program's commands: a key no
 * command has (a typo) stops the program with a sentence naming the file, line and key, as do a missing or unreadable
 * file and a value the option cannot take ({@link #explain}). Options the command requires ({@code register --token})
 * are never taken from the environment or a file, nor are {@code --help}, {@code --version} and {@code --config}.
 * Other environment variables with the prefix are left alone (they may belong to another tool).
 */
public final class OptionDefaults implements IDefaultValueProvider {
    /** The system property through which a package's launcher names its configuration file. */
    public static final String PACKAGE_CONFIG_PROPERTY = "drawbridge.config";
    private static final Set<String> NEVER = Set.of("help", "version", ConfigOption.KEY);
    private static final ThreadLocal<Boolean> DECLARED_REQUIRED_CHECK = ThreadLocal.withInitial(() -> false);

    private final String envPrefix;
    private final Map<String, String> env;
    private final Optional<String> packageConfig;
    private final Map<Path, ConfigFile> files = new HashMap<>();
    private final Map<ArgSpec, String> sources = new HashMap<>();

    /**
     * @param envPrefix     e.g. {@code DRAWBRIDGE_}
     * @param env           the environment (tests pass their own)
     * @param packageConfig the package's configuration file, if the launcher names one
     */
    public OptionDefaults(String envPrefix, Map<String, String> env, Optional<String> packageConfig) {
        this.envPrefix = envPrefix;
        this.env = Map.copyOf(env);
        this.packageConfig = packageConfig.filter(s -> !s.isBlank());
    }

    /** The provider of a program run from its {@code main}: the process's environment and system properties. */
    public static OptionDefaults of(String envPrefix) {
        return new OptionDefaults(envPrefix, System.getenv(), Optional.ofNullable(System.getProperty(PACKAGE_CONFIG_PROPERTY)));
    }

    /** Sets this provider on {@code cl} and its subcommands; returns {@code cl}. */
    public CommandLine install(CommandLine cl) {
        cl.setDefaultValueProvider(this);
        return cl;
    }

    /** The environment variable of an option, e.g. {@code DRAWBRIDGE_TUNNEL_PORT} for {@code --tunnel-port}. */
    public String envName(OptionSpec option) {
        return envPrefix + key(option).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The configuration file key of an option: its longest name without the dashes. */
    public static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** Whether {@code option} may come from the environment or a configuration file: not a required one, nor help. */
    public static boolean configurable(OptionSpec option) {
        if (NEVER.contains(key(option)) || option.usageHelp() || option.versionHelp()) {
            return false;
        }
        // picocli's required() asks the default provider (an option with a default is not missing): it must not answer.
        boolean outer = !DECLARED_REQUIRED_CHECK.get();
        DECLARED_REQUIRED_CHECK.set(true);
        try {
            return !option.required();
        } finally {
            if (outer) {
                DECLARED_REQUIRED_CHECK.remove();
            }
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (DECLARED_REQUIRED_CHECK.get() || !(arg instanceof OptionSpec option)) {
            return null;
        }
        if (ConfigOption.KEY.equals(key(option))) {
            return configFromEnvironment().orElse(null);
        }
        if (!configurable(option)) {
            return null;
        }
        String variable = envName(option);
        String fromEnv = env.get(variable);
        if (fromEnv != null) {
            sources.put(arg, "the environment variable " + variable);
            return fromEnv;
        }
        Optional<ConfigFile> file = configFile(option.command());
        if (file.isEmpty()) {
            return null;
        }
        Optional<ConfigFile.Setting> setting = file.get().get(key(option));
        if (setting.isEmpty()) {
            return null;
        }
        ConfigFile.Setting s = setting.get();
        String where = ConfigFile.where(file.get().path(), s.line());
        if (s.list() && !option.isMultiValue()) {
            throw problem(option, where + ": '" + s.key() + "' takes one value, not a list");
        }
        sources.put(arg, where + " ('" + s.key() + "')");
        String split = option.splitRegex();
        if (s.values().size() > 1 && split.isEmpty()) {
            throw problem(option, where + ": '" + s.key() + "' takes its values one at a time: give one value");
        }
        return String.join(split.isEmpty() ? "" : splitJoiner(split), s.values());
    }

    /**
     * An environment variable of this provider's environment that is no option's (e.g. a secret a program reads only from
     * there); empty when unset or blank.
     */
    public Optional<String> environment(String variable) {
        return Optional.ofNullable(env.get(variable)).filter(v -> !v.isBlank());
    }

    /** Where the value of {@code arg} came from, when this provider gave it ("the environment variable X", "file:line ('key')"). */
    public Optional<String> source(ArgSpec arg) {
        return Optional.ofNullable(sources.get(arg));
    }

    /**
     * The sentence for a command-line failure this provider caused: a file or key problem as it is, a value picocli
     * could not convert with its file, line and key (or variable) and picocli's reason. Empty when the failure is
     * the command line's own.
     */
    public Optional<String> explain(CommandLine.ParameterException e) {
        if (e instanceof BadSetting) {
            return Optional.of(e.getMessage());
        }
        ArgSpec arg = e.getArgSpec();
        if (arg == null || !sources.containsKey(arg)) {
            return Optional.empty();
        }
        String reason = ConfigFile.oneLine(String.valueOf(e.getMessage()));
        int colon = reason.indexOf("': ");
        String why = colon > 0 ? reason.substring(colon + 3) : reason;
        return Optional.of(sources.get(arg) + ": " + why.replaceAll("\\.$", "") + "; see '" + e.getCommandLine().getCommandSpec()
                .qualifiedName() + " --help'");
    }

    /** Every key a configuration file of this program may have: the configurable options of all its commands. */
    public static Set<String> knownKeys(CommandSpec anyCommand) {
        Set<String> keys = new TreeSet<>();
        collect(anyCommand.root(), keys);
        return keys;
    }

    private static void collect(CommandSpec cmd, Set<String> keys) {
        cmd.options().stream().filter(OptionDefaults::configurable).map(OptionDefaults::key).forEach(keys::add);
        cmd.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), keys));
    }

    private Optional<String> configFromEnvironment() {
        return Optional.ofNullable(env.get(envPrefix + "CONFIG")).filter(s -> !s.isBlank()).or(() -> packageConfig);
    }

    private Optional<ConfigFile> configFile(CommandSpec cmd) {
        Optional<OptionSpec> option = cmd.options().stream().filter(o -> ConfigOption.KEY.equals(key(o))).findFirst();
        if (option.isEmpty()) {
            return Optional.empty();
        }
        List<String> given = option.get().originalStringValues();
        Optional<String> path = given.isEmpty() ? configFromEnvironment() : Optional.of(given.getLast());
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(path.get());
        boolean packageDefault = given.isEmpty() && env.get(envPrefix + "CONFIG") == null;
        if (packageDefault && Files.notExists(p)) {
            return Optional.empty(); // the package's file is optional: the Windows installer ships only an example
        }
        ConfigFile file = files.get(p);
        if (file == null) {
            try {
                file = ConfigFile.read(p);
            } catch (ConfigException e) {
                throw new BadSetting(cmd.commandLine(), e.getMessage());
            }
            Set<String> known = knownKeys(cmd);
            for (ConfigFile.Setting s : file.settings().values().stream()
                    .sorted((a, b) -> Integer.compare(a.line(), b.line())).toList()) {
                if (!known.contains(s.key())) {
                    throw new BadSetting(cmd.commandLine(), ConfigFile.where(p, s.line()) + ": unknown key '" + s.key()
                            + "'; the keys are the options of '" + cmd.root().name() + "' without their dashes: "
                            + String.join(", ", known));
                }
            }
            files.put(p, file);
        }
        return Optional.of(file);
    }

    private static String splitJoiner(String regex) {
        // picocli splits a default value like a command-line one: join with the separator itself when it is literal.
        String unquoted = regex.startsWith("\\Q") && regex.endsWith("\\E") ? regex.substring(2, regex.length() - 2) : regex;
        if (Pattern.compile(regex).matcher(unquoted).matches()) {
            return unquoted;
        }
        throw new IllegalStateException("cannot join values for the split pattern " + regex);
    }

    private static BadSetting problem(OptionSpec option, String sentence) {
        return new BadSetting(option.command().commandLine(), sentence);
    }

    /** A configuration problem found while the command line was parsed: its message is the whole sentence. */
    static final class BadSetting extends CommandLine.ParameterException {
        BadSetting(CommandLine cl, String sentence) {
            super(cl, sentence);
        }
    }
}
