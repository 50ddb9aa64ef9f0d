package dev.drawbridge.model.api;

import java.util.List;

/**
 * The server's signing key sets, as {@code GET /keys} and {@code POST /keys/rotate} answer.
 *
 * @param generation the number of rotations of the {@code signing} set (the {@code sso} set's is the same unless a node
 *                   was stopped between the two)
 * @param keys       every key of both sets, oldest first within each set
 */
public record SigningKeysView(long generation, List<SigningKeyView> keys) {
    public SigningKeysView {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }
}
