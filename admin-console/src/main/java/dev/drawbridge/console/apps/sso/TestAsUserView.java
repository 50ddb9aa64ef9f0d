package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.UserView;
import javafx.animation.PauseTransition;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;

import java.util.stream.Collectors;

/**
 * "Test as user" of the single sign-on section: find a user (the server searches, 300 ms after the last keystroke or at
 * once on Enter) or type a UPN, Test as user, and the answer: the problems first and in red (or that there is none), then
 * the headers as a table, the Kerberos, password or NameID lines, the SAML attributes as a table. Needs {@code APPS_READ}.
 * Ids: {@code sso-test-search}, {@code sso-test-user}, {@code sso-test-run}, {@code sso-test-message},
 * {@code sso-test-summary}, {@code sso-test-stale}, {@code sso-test-problems}, {@code sso-test-headers},
 * {@code sso-test-<detail key>} ({@code sso-test-principal}, {@code sso-test-stored}, {@code sso-test-name-id}, …),
 * {@code sso-test-attributes}.
 */
final class TestAsUserView {
    private static final double ROW = 26;

    private TestAsUserView() {
    }

    static Node of(AppSso sso, Permissions perms) {
        TestAsUser t = sso.test();
        Label title = new Label("Test as user");
        title.getStyleClass().add("section");
        TextField find = Forms.text("sso-test-search", t.searchProperty(), "Find a user, or type a UPN");
        find.setPrefColumnCount(14);
        PauseTransition pause = new PauseTransition(Duration.millis(300));
        pause.setOnFinished(e -> t.search());
        t.searchProperty().addListener((o, was, now) -> pause.playFromStart());
        find.setOnAction(e -> {
            pause.stop();
            t.search();
        });
        ComboBox<UserView> user = new ComboBox<>(t.users());
        user.setId("sso-test-user");
        user.setPromptText("User");
        user.setConverter(new StringConverter<>() {
            @Override
            public String toString(UserView u) {
                return u == null ? "" : u.displayName() == null || u.displayName().isBlank() ? u.upn() : u.upn() + " (" + u.displayName() + ")";
            }

            @Override
            public UserView fromString(String s) {
                return null;
            }
        });
        user.valueProperty().bindBidirectional(t.userProperty());
        user.setMaxWidth(Double.MAX_VALUE);
        user.setOnShowing(e -> {
            if (t.users().isEmpty()) {
                t.search();
            }
        });
        HBox.setHgrow(user, Priority.ALWAYS);
        Button run = new Button("Test as user");
        run.setId("sso-test-run");
        run.setMinWidth(Region.USE_PREF_SIZE);
        run.setOnAction(e -> sso.testAsUser());
        HBox bar = new HBox(8, find, user, Guard.guard(run, perms, Permission.APPS_READ,
                t.runningProperty().or(t.userProperty().isNull().and(t.searchProperty().isEmpty()))));
        bar.setAlignment(Pos.CENTER_LEFT);

        Label message = label("sso-test-message", "field-error");
        message.textProperty().bind(t.messageProperty());
        shownWhen(message, t.messageProperty().isNotEmpty());

        Label summary = label("sso-test-summary", null);
        summary.textProperty().bind(t.summaryProperty());
        Label stale = label("sso-test-stale", "expiring");
        stale.setText("The settings changed since this answer: test again to see what they give.");
        shownWhen(stale, t.staleProperty());
        Label problems = label("sso-test-problems", null);
        problems.textProperty().bind(Bindings.createStringBinding(() -> t.problems().isEmpty()
                ? "No problem: single sign-on would work for this user as shown."
                : (t.problems().size() == 1 ? "Problem" : t.problems().size() + " problems") + ": single sign-on would fail or be"
                + " incomplete for this user.\n" + t.problems().stream().map(p -> "• " + p).collect(Collectors.joining("\n")), t.problems()));
        // Red and bold when there are problems: they are what the admin must not miss.
        Runnable style = () -> problems.getStyleClass().setAll("label", t.problems().isEmpty() ? "ok" : "sso-problems");
        t.problems().addListener((ListChangeListener<String>) c -> style.run());
        t.resultProperty().addListener((o, was, now) -> style.run());
        style.run();

        TableView<SsoPreview.Header> headers = table("sso-test-headers", t.headers());
        headers.getColumns().add(Tables.column("Header", 160, SsoPreview.Header::name));
        headers.getColumns().add(Tables.column("Value", 300, SsoPreview.Header::value));
        GridPane details = new GridPane(10, 4);
        details.setId("sso-test-details");
        t.details().addListener((ListChangeListener<TestAsUser.Detail>) c -> details(details, t.details()));
        shownWhen(details, Bindings.isNotEmpty(t.details()));
        TableView<SsoPreview.Attribute> attributes = table("sso-test-attributes", t.attributes());
        attributes.getColumns().add(Tables.column("Attribute", 160, SsoPreview.Attribute::name));
        attributes.getColumns().add(Tables.column("Values", 300, a -> String.join(", ", a.values())));

        VBox result = new VBox(6, summary, stale, problems, headers, details, attributes);
        shownWhen(result, t.resultProperty().isNotNull());
        return new VBox(8, title, bar, hint("Nothing is sent to the backend or the KDC: the server works out what the backend would"
                + " receive with the settings above, saved or not, and never shows a password."), message, result);
    }

    private static <T> TableView<T> table(String id, ObservableList<T> items) {
        TableView<T> t = new TableView<>(items);
        t.setId(id);
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        t.setFixedCellSize(ROW);
        // As tall as its rows: the editor scrolls, not the table.
        t.prefHeightProperty().bind(Bindings.size(items).add(1).multiply(ROW).add(4));
        t.minHeightProperty().bind(t.prefHeightProperty());
        shownWhen(t, Bindings.isNotEmpty(items));
        return t;
    }

    private static void details(GridPane g, ObservableList<TestAsUser.Detail> details) {
        g.getChildren().clear();
        int row = 0;
        for (TestAsUser.Detail d : details) {
            Label name = new Label(d.label());
            name.getStyleClass().add("hint");
            Label value = label("sso-test-" + d.key(), null);
            value.setText(d.value());
            g.add(name, 0, row);
            g.add(value, 1, row++);
        }
    }

    private static void shownWhen(Node n, ObservableValue<Boolean> shown) {
        n.visibleProperty().bind(shown);
        n.managedProperty().bind(n.visibleProperty());
    }

    private static Label label(String id, String style) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        if (style != null) {
            l.getStyleClass().add(style);
        }
        return l;
    }

    private static Label hint(String text) {
        Label l = label(null, "hint");
        l.setText(text);
        return l;
    }
}
