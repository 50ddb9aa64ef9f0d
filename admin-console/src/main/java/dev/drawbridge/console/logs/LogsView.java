package dev.drawbridge.console.logs;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.shell.Tables;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One tab per log: filters, Search, Follow, Export CSV, and the table. */
public final class LogsView {
    private final TabPane root = new TabPane();

    public LogsView(LogsViewModel vm) {
        root.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        root.getTabs().addAll(
                tab("_Sign-ins", "sign-ins", vm.signIns(), vm, Map.of(
                        "result", choice(Labels.SIGN_IN_RESULTS, Labels::signInResult, "Any result"),
                        "event", choice(Labels.SIGN_IN_EVENTS, Labels::signInEvent, "Any event"))),
                tab("A_udit", "audit", vm.audit(), vm, Map.of()),
                tab("Connector _events", "events", vm.events(), vm, Map.of(
                        "type", choice(Labels.CONNECTOR_EVENTS, Labels::connectorEvent, "Any event"))));
        root.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> vm.activeTabProperty().set(now.intValue()));
    }

    /** A filter that offers fixed codes, shown in words; the empty code (first) means any. */
    private record Choice(List<String> codes, StringConverter<String> converter) {
    }

    private static Choice choice(List<String> codes, Function<String, String> words, String any) {
        List<String> all = new ArrayList<>();
        all.add("");
        all.addAll(codes);
        return new Choice(all, Labels.converter(all, c -> c.isEmpty() ? any : words.apply(c)));
    }

    private <T> Tab tab(String title, String id, LogTab<T> log, LogsViewModel vm, Map<String, Choice> choices) {
        HBox filters = new HBox(8);
        filters.getStyleClass().add("toolbar-row");
        for (String f : log.filterNames()) {
            Control input;
            if (f.equals("app") && log == vm.signIns()) {
                ComboBox<String> c = new ComboBox<>(vm.appNames());
                c.setEditable(true);
                c.setPromptText("any app");
                c.setPrefWidth(150);
                c.valueProperty().bindBidirectional(log.filter(f));
                c.setOnAction(e -> vm.search());
                input = c;
            } else if (f.equals("connectorId") && log == vm.events()) {
                ComboBox<String> c = new ComboBox<>(vm.connectorNames());
                c.setEditable(true);
                c.setPromptText("any connector");
                c.setPrefWidth(200);
                c.valueProperty().bindBidirectional(log.filter(f));
                c.setOnAction(e -> vm.search());
                input = c;
            } else if (choices.containsKey(f)) {
                ComboBox<String> c = new ComboBox<>();
                c.getItems().setAll(choices.get(f).codes());
                c.setConverter(choices.get(f).converter());
                c.valueProperty().bindBidirectional(log.filter(f));
                c.setOnAction(e -> vm.search());
                input = c;
            } else {
                TextField t = new TextField();
                t.setPrefColumnCount(11);
                t.setMinWidth(70);
                t.textProperty().bindBidirectional(log.filter(f));
                t.setOnAction(e -> vm.search());
                input = t;
            }
            input.setId(id + "-filter-" + f);
            Label name = new Label(label(f));
            name.setLabelFor(input);
            name.setMinWidth(Region.USE_PREF_SIZE);
            filters.getChildren().addAll(name, input);
        }
        Button search = new Button("Search");
        search.setId(id + "-search");
        search.setOnAction(e -> vm.search());
        CheckBox follow = new CheckBox("_Follow");
        follow.setId(id + "-follow");
        follow.selectedProperty().bindBidirectional(log.followProperty());
        Button export = new Button("E_xport CSV…");
        export.setId(id + "-export");
        export.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setInitialFileName(id + ".csv");
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
            File f = fc.showSaveDialog(root.getScene().getWindow());
            if (f != null) {
                vm.export(f.toPath());
            }
        });
        // When the row is short of room, the text fields give way: labels and buttons keep their words.
        for (Control c : new Control[]{search, follow, export}) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        filters.getChildren().addAll(search, follow, export);

        TableView<T> table = Tables.table(log.rows(), log.emptyText());
        table.setId(id + "-table");
        // Log rows are wide: each column keeps its width and the table scrolls sideways.
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        for (LogTab.Column<T> c : log.columns()) {
            table.getColumns().add(Tables.column(c.title(), width(c.title()), c.shown()));
        }
        Label count = new Label();
        count.setId(id + "-count");
        count.getStyleClass().add("hint");
        count.textProperty().bind(log.pages().summaryProperty().map(c -> c.isEmpty() ? "" : c + " rows"));
        Button more = new Button("Load more");
        more.setId(id + "-more");
        more.setOnAction(e -> vm.more());
        more.visibleProperty().bind(log.pages().moreProperty());
        more.managedProperty().bind(more.visibleProperty());
        HBox footer = new HBox(8, count, more);
        footer.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(8, filters, table, footer);
        VBox.setVgrow(table, Priority.ALWAYS);
        Tab t = new Tab(title.replace("_", ""), box);
        t.setId(id + "-tab");
        return t;
    }

    private static double width(String column) {
        return switch (column) {
            case "Time" -> 150;
            case "User", "Actor", "Connector" -> 200;
            case "Reason", "Detail", "Policies" -> 230;
            case "Before", "After" -> 320;
            case "MFA" -> 45;
            case "Client" -> 85;
            case "Event", "Result" -> 105;
            case "Client IP" -> 90;
            default -> 100;
        };
    }

    private static String label(String filter) {
        return switch (filter) {
            case "upn" -> "User";
            case "app" -> "App";
            case "result" -> "Result";
            case "event" -> "Event";
            case "action" -> "Action";
            case "actor" -> "Actor";
            case "targetType" -> "Target type";
            case "targetId" -> "Target id";
            case "connectorId" -> "Connector";
            case "type" -> "Event";
            default -> filter;
        };
    }

    public Node root() {
        return root;
    }
}
