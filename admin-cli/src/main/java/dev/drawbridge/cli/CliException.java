package dev.drawbridge.cli;

/** A failure the CLI reports in one sentence, with its exit code (2: usage or configuration). */
final class CliException extends Exception {
    static final int API = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
