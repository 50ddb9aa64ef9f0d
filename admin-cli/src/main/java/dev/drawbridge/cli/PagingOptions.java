package dev.drawbridge.cli;

import dev.drawbridge.adminclient.Paging;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --limit} and {@code --offset} of list commands (the API's defaults: 100 from 0). */
final class PagingOptions {
    @Option(names = "--limit", paramLabel = "N", description = "At most N items (1 to 1000; default 100)")
    Integer limit;
    @Option(names = "--offset", paramLabel = "N", description = "Skip the first N items")
    Integer offset;

    /** The page the options ask for (the API's defaults for those not given). */
    Paging page() throws CliException {
        try {
            return Paging.of(offset, limit);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage() + " (--offset, --limit)");
        }
    }

    Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        if (limit != null) {
            q.put("limit", limit.toString());
        }
        if (offset != null) {
            q.put("offset", offset.toString());
        }
        return q;
    }

    /** As {@link #query()}, plus {@code name=value} when the filter was given. */
    Map<String, String> query(String name, String value) {
        Map<String, String> q = query();
        if (value != null) {
            q.put(name, value);
        }
        return q;
    }
}
