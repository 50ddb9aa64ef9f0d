package dev.drawbridge.model.operations;

import java.util.List;
import java.util.Locale;

/**
 * One entry of a program's metric catalogue (the server's {@code ProxyMeter}, the connector's {@code ConnectorMeter}):
 * what the program registers, how Prometheus scrapes it and what it means, which docs/operations.md documents.
 */
public interface Meter {
    /** The Prometheus metric types used. */
    enum Kind {
        COUNTER, GAUGE, HISTOGRAM;

        /** As in a {@code # TYPE} line. */
        public String prometheus() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A meter's description.
     *
     * @param meterName      the Micrometer name
     * @param prometheusName the metric family's name as scraped (a histogram's series add {@code _bucket}, {@code _count},
     *                       {@code _sum})
     * @param kind           its Prometheus type
     * @param labels         the label names, in the order documented
     * @param meaning        what it counts, one sentence
     */
    record Spec(String meterName, String prometheusName, Kind kind, List<String> labels, String meaning) {
        public Spec {
            labels = List.copyOf(labels);
        }
    }

    /** This meter's description. */
    Spec spec();

    /** The Micrometer name. */
    default String meterName() {
        return spec().meterName();
    }

    /** The metric family's name as scraped. */
    default String prometheusName() {
        return spec().prometheusName();
    }

    default Kind kind() {
        return spec().kind();
    }

    /** The label names, in the order documented. */
    default List<String> labels() {
        return spec().labels();
    }

    /** What it counts, one sentence. */
    default String meaning() {
        return spec().meaning();
    }
}
