package dev.drawbridge.proxy.backup;

/**
 * Why a backup or a restore stopped: its message is one sentence for the operator's terminal, naming the file or the
 * setting at fault and what to do (no stack trace; {@code DRAWBRIDGE_DEBUG=1} shows the cause's).
 */
public final class BackupException extends Exception {
    public BackupException(String sentence) {
        super(sentence);
    }

    public BackupException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
