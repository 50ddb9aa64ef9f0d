package dev.drawbridge.connector.update;

/** An update that cannot go on: its message is one sentence for the log and the server's report, never a stack trace. */
public class UpdateException extends Exception {
    public UpdateException(String sentence) {
        super(sentence);
    }

    public UpdateException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
