package dev.drawbridge.model.api;

import java.util.List;

/**
 * An app's path rules, as {@code GET} and {@code PUT /apps/{id}/paths} carry them (a PUT replaces them all; an empty list
 * removes them).
 *
 * @param paths at most one rule per path
 */
public record PathPolicies(List<PathPolicy> paths) {
    public PathPolicies {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
