package dev.drawbridge.proxy.admin.operation;

import dev.drawbridge.model.api.Page;
import dev.drawbridge.proxy.web.ValidationException;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The admin API's query parameters: filters, instants, whole numbers, and the {@code offset}/{@code limit} of pages. */
public final class Queries {
    /** Default and largest page size. */
    public static final int DEFAULT_LIMIT = 100, MAX_LIMIT = 1000;

    private Queries() {
    }

    /** The {@code offset} and {@code limit} of a list call. */
    public record Paging(int offset, int limit) {
    }

    /** A filter: stripped, absent when missing or blank. */
    public static Optional<String> filter(AdminRequest request, String name) {
        return request.query(name).filter(v -> !v.isBlank()).map(String::strip);
    }

    /** A case-insensitive search term ({@code search}, {@code name}): lower-cased, absent when missing or blank. */
    public static Optional<String> search(AdminRequest request, String name) {
        return filter(request, name).map(v -> v.toLowerCase(Locale.ROOT));
    }

    /** Whether {@code value} contains {@code lowerCaseTerm}, ignoring case. */
    public static boolean contains(String value, String lowerCaseTerm) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerCaseTerm);
    }

    /** An ISO-8601 instant such as 2026-11-25T12:00:00Z; a 400 naming the parameter otherwise. */
    public static Optional<Instant> instant(AdminRequest request, String name) throws ValidationException {
        Optional<String> v = filter(request, name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(v.get()));
        } catch (DateTimeParseException e) {
            throw new ValidationException(name, name + " must be an ISO-8601 instant such as 2026-11-25T12:00:00Z");
        }
    }

    /** A whole number, {@code dflt} when absent; a 400 naming the parameter otherwise. */
    public static int integer(AdminRequest request, String name, int dflt) throws ValidationException {
        Optional<String> v = request.query(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new ValidationException(name, name + " must be a whole number");
        }
    }

    /** {@code offset} (0 or more, default 0) and {@code limit} (1 to 1000, default 100). */
    public static Paging paging(AdminRequest request) throws ValidationException {
        int offset = integer(request, "offset", 0);
        int limit = integer(request, "limit", DEFAULT_LIMIT);
        if (offset < 0) {
            throw new ValidationException("offset", "offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ValidationException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return new Paging(offset, limit);
    }

    /** The page of {@code all} the request asks for. */
    public static <T> Page<T> page(List<T> all, AdminRequest request) throws ValidationException {
        Paging p = paging(request);
        return new Page<>(all.stream().skip(p.offset()).limit(p.limit()).toList(), p.offset(), p.limit(), all.size());
    }
}
