package dev.drawbridge.console.session;

import dev.drawbridge.model.api.Page;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Locale;

/**
 * A {@link Listing} read from the server a page at a time: {@link #first} loads the first page of a query (the
 * latest query wins: answers to older ones are dropped), {@link #more} appends the next page. {@link #moreProperty}
 * says whether the server has more than is shown, {@link #summaryProperty} e.g. "500 of 1,234".
 */
public final class Pages<T> {
    /** Reads one page of the current query. */
    public interface Fetch<T> {
        Page<T> get(int offset, int limit) throws Exception;
    }

    private final Listing<T> listing;
    private final int size;
    private final BooleanProperty more = new SimpleBooleanProperty(false);
    private final LongProperty total = new SimpleLongProperty(0);
    private final StringProperty summary = new SimpleStringProperty("");
    private Fetch<T> fetch;
    private String feature = "";
    private String query;
    private int generation;
    private boolean inFlight;

    /** @param size items per page (the server allows at most 1000) */
    public Pages(Listing<T> listing, int size) {
        if (size < 1 || size > 1000) {
            throw new IllegalArgumentException("page size must be 1 to 1000, not " + size);
        }
        this.listing = listing;
        this.size = size;
    }

    public Listing<T> listing() {
        return listing;
    }

    public int size() {
        return size;
    }

    public BooleanProperty moreProperty() {
        return more;
    }

    public LongProperty totalProperty() {
        return total;
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    /**
     * Loads the first page of {@code query} (a key: the same query while one is loading is not sent twice).
     * {@code feature} names the list in messages.
     */
    public void first(Tasks tasks, Notices notices, String feature, String query, Fetch<T> fetch) {
        if (inFlight && query.equals(this.query)) {
            return;
        }
        this.feature = feature;
        this.query = query;
        this.fetch = fetch;
        int gen = ++generation;
        inFlight = true;
        listing.loadingProperty().set(true);
        tasks.runQuietly("load " + feature, () -> fetch.get(0, size), page -> {
            if (gen == generation) {
                done();
                listing.unavailableProperty().set("");
                listing.replace(page.items());
                count(page.total());
            }
        }, e -> {
            if (gen == generation) {
                done();
                listing.failed(notices, feature, e);
            }
        });
    }

    /** Appends the next page of the current query. */
    public void more(Tasks tasks, Notices notices) {
        if (fetch == null || inFlight || !more.get()) {
            return;
        }
        int gen = generation, offset = listing.items().size();
        Fetch<T> f = fetch;
        inFlight = true;
        listing.loadingProperty().set(true);
        tasks.runQuietly("load more " + feature, () -> f.get(offset, size), page -> {
            if (gen == generation) {
                done();
                listing.items().addAll(page.items());
                count(page.total());
            }
        }, e -> {
            if (gen == generation) {
                done();
                listing.failed(notices, feature, e);
            }
        });
    }

    /** True when the admin has loaded pages past the first. */
    public boolean pagedPastFirst() {
        return listing.items().size() > size;
    }

    private void done() {
        inFlight = false;
        listing.loadingProperty().set(false);
    }

    private void count(long all) {
        int shown = listing.items().size();
        total.set(all);
        more.set(all > shown);
        summary.set(all > shown ? String.format(Locale.ROOT, "%,d of %,d", shown, all) : String.format(Locale.ROOT, "%,d", shown));
    }

    /** Counts an item added or removed here (not by the server): keeps the summary right. */
    public void adjust(int delta) {
        count(Math.max(total.get() + delta, listing.items().size()));
    }
}
