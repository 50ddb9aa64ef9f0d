package dev.drawbridge.proxy.store;

/** A change clashes with existing data (duplicate name, group still in use). */
public final class ConflictException extends Exception {
    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
