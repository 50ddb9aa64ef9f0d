package dev.drawbridge.console.shell;

import javafx.scene.Node;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A {@link Screen} made of one view model and the view built on it: the label, the view's root, what a refresh
 * calls on the view model and how often. Subclasses only build the pair and name it.
 *
 * @param <M> the screen's view model
 */
public abstract class ViewModelScreen<M> implements Screen {
    private final String label;
    private final M viewModel;
    private final Node view;
    private final Consumer<? super M> refresh;
    private final Optional<Duration> refreshEvery;

    /** A screen that refreshes only when shown. */
    protected ViewModelScreen(String label, M viewModel, Function<? super M, ? extends Node> view, Consumer<? super M> refresh) {
        this(label, viewModel, view, refresh, Optional.empty());
    }

    /** A screen that also refreshes every {@code refreshEvery} while visible. */
    protected ViewModelScreen(String label, M viewModel, Function<? super M, ? extends Node> view, Consumer<? super M> refresh,
                              Duration refreshEvery) {
        this(label, viewModel, view, refresh, Optional.of(refreshEvery));
    }

    private ViewModelScreen(String label, M viewModel, Function<? super M, ? extends Node> view, Consumer<? super M> refresh,
                            Optional<Duration> refreshEvery) {
        this.label = Objects.requireNonNull(label);
        this.viewModel = Objects.requireNonNull(viewModel);
        this.view = Objects.requireNonNull(view.apply(viewModel));
        this.refresh = Objects.requireNonNull(refresh);
        this.refreshEvery = refreshEvery;
    }

    @Override
    public final String label() {
        return label;
    }

    @Override
    public final Node view() {
        return view;
    }

    @Override
    public void refresh() {
        refresh.accept(viewModel);
    }

    @Override
    public final Optional<Duration> refreshEvery() {
        return refreshEvery;
    }

    public final M viewModel() {
        return viewModel;
    }
}
