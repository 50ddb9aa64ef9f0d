package dev.drawbridge.console.dashboard;

import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.SignInStats;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedBarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.StringConverter;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Group health cards, the sign-in chart, and the expiring certificates. */
public final class DashboardView {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:00").withZone(ZoneId.systemDefault());
    private final VBox root = new VBox(10);

    public DashboardView(DashboardViewModel vm) {
        Label health = section("Connector health");
        FlowPane cards = new FlowPane(10, 10);
        cards.setId("group-cards");
        vm.groups().addListener((ListChangeListener<ConnectorGroupView>) c ->
                cards.getChildren().setAll(vm.groups().stream().map(DashboardView::card).toList()));

        Label chartTitle = section("Sign-ins");
        Label source = new Label();
        source.getStyleClass().add("hint");
        source.textProperty().bind(vm.signInSourceProperty());
        CategoryAxis x = new CategoryAxis();
        NumberAxis y = new NumberAxis();
        y.setId("sign-in-count-axis");
        y.setLabel("sign-ins per hour");
        // Counts are whole numbers: the view model picks a whole-number range and step; no minor ticks between.
        y.setAutoRanging(false);
        y.setLowerBound(0);
        y.upperBoundProperty().bind(vm.axisProperty().map(a -> (double) a.upper()));
        y.tickUnitProperty().bind(vm.axisProperty().map(a -> (double) a.tick()));
        y.setMinorTickVisible(false);
        y.setMinorTickCount(0);
        y.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                return Long.toString(Math.round(n.doubleValue()));
            }

            @Override
            public Number fromString(String s) {
                return Long.parseLong(s);
            }
        });
        StackedBarChart<String, Number> chart = new StackedBarChart<>(x, y);
        chart.setId("sign-in-chart");
        chart.setAnimated(false);
        chart.setLegendVisible(true);
        chart.setPrefHeight(260);
        chart.setCategoryGap(4);
        XYChart.Series<String, Number> ok = new XYChart.Series<>(), denied = new XYChart.Series<>();
        ok.setName("Succeeded");
        denied.setName("Denied or failed");
        chart.getData().add(ok);
        chart.getData().add(denied);
        vm.signIns().addListener((ListChangeListener<SignInStats.Bucket>) c -> {
            x.getCategories().setAll(vm.signIns().stream().map(b -> HOUR.format(b.start())).distinct().toList());
            ok.getData().setAll(vm.signIns().stream().map(b -> new XYChart.Data<String, Number>(HOUR.format(b.start()), b.succeeded())).toList());
            denied.getData().setAll(vm.signIns().stream().map(b -> new XYChart.Data<String, Number>(HOUR.format(b.start()), b.denied())).toList());
        });

        Label certTitle = section("Certificates expiring within 30 days");
        TableView<DashboardViewModel.Expiring> certs = new TableView<>(vm.expiring());
        certs.setId("expiring-table");
        certs.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        certs.setPlaceholder(new Label("Nothing expires within 30 days."));
        certs.getColumns().add(Tables.column("Kind", 100, DashboardViewModel.Expiring::kind));
        certs.getColumns().add(Tables.column("For", 260, DashboardViewModel.Expiring::name));
        certs.getColumns().add(Tables.column("Expires", 160, e -> Tables.time(e.notAfter())));
        certs.getColumns().add(Tables.column("Days left", 80, e -> e.daysLeft() < 0 ? "expired" : e.daysLeft()));
        certs.setPrefHeight(150);

        root.getChildren().addAll(health, cards, new HBox(8, chartTitle, source), chart, certTitle, certs);
        VBox.setVgrow(chart, Priority.ALWAYS);
    }

    private static Label section(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("section");
        return l;
    }

    private static Node card(ConnectorGroupView g) {
        Circle light = new Circle(7);
        light.getStyleClass().add(g.activeConnectors() > 0 ? "light-active" : g.connectors() > 0 ? "light-inactive" : "light-revoked");
        Label name = new Label(g.name());
        name.getStyleClass().add("section");
        Label count = new Label(g.activeConnectors() + " / " + g.connectors());
        count.getStyleClass().add("big");
        Label what = new Label(g.connectors() == 0 ? "no connectors" : "connectors active");
        what.getStyleClass().add("hint");
        VBox card = new VBox(4, new HBox(8, light, name), count, what);
        card.getStyleClass().addAll("card", "group-card");
        card.setId("group-card-" + g.name());
        return card;
    }

    public Node root() {
        return root;
    }
}
