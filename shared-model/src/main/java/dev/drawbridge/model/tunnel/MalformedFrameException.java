package dev.drawbridge.model.tunnel;

/** A tunnel frame could not be decoded; the peer broke the protocol and the connection is closed. */
public final class MalformedFrameException extends Exception {
    public MalformedFrameException(String message) {
        super(message);
    }
}
