package dev.drawbridge.cliconfig;

/**
 * A configuration file or setting the program cannot use; the message is one sentence naming the file, line and key
 * (or the environment variable) and what to do.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String sentence) {
        super(sentence);
    }
}
