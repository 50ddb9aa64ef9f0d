package dev.drawbridge.model.tunnel;

import java.io.IOException;

/** Thrown to a reader or writer of a tunnel stream that was reset by either side. */
public final class StreamResetException extends IOException {
    private final ResetCode code;

    public StreamResetException(ResetCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public ResetCode code() {
        return code;
    }
}
