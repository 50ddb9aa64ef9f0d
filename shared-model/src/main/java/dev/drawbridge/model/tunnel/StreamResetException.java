package dev.drawbridge.model.tunnel;

import java.io.IOException;

/** Thrown to a reader or writer of a tunnel stream that was reset by either side. */
public final class StreamResetException extends IOException {
    private final ResetCode code;
    private final String reason;

    public StreamResetException(ResetCode code, String reason) {
        super(code + ": " + reason);
        this.code = code;
        this.reason = reason;
    }

    public ResetCode code() {
        return code;
    }

    /** Why the stream was reset, as the resetting side said it (without the code). */
    public String reason() {
        return reason;
    }
}
