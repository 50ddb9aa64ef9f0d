package dev.drawbridge.model.api;

import java.util.List;

/** One page of a list answer. */
public record Page<T>(List<T> items, int offset, int limit, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
