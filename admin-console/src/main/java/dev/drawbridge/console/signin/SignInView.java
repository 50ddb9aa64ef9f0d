package dev.drawbridge.console.signin;

import dev.drawbridge.console.config.TrustedCas;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.shell.Forms;
import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

import java.util.function.Supplier;

/** The sign-in form, and the trust-on-first-use prompt for the server's CA. */
public final class SignInView {
    private final StackPane root = new StackPane();

    public SignInView(SignInViewModel vm, Runnable signIn) {
        Label title = new Label("Sign in to Drawbridge");
        title.getStyleClass().add("heading");

        TextField server = new TextField();
        server.setId("server");
        server.setPromptText("https://admin.apps.example.com:8443");
        server.textProperty().bindBidirectional(vm.serverProperty());

        CheckBox useToken = new CheckBox("Use an admin _token instead of a user name");
        useToken.setId("use-token");
        useToken.selectedProperty().bindBidirectional(vm.useTokenProperty());

        TextField user = new TextField();
        user.setId("username");
        user.setPromptText("admin@example.com");
        user.textProperty().bindBidirectional(vm.usernameProperty());
        PasswordField pass = new PasswordField();
        pass.setId("password");
        pass.textProperty().bindBidirectional(vm.passwordProperty());
        TextField mfa = new TextField();
        mfa.setId("mfa-code");
        mfa.setPromptText("123456");
        mfa.textProperty().bindBidirectional(vm.mfaCodeProperty());
        PasswordField token = new PasswordField();
        token.setId("token");
        token.setPromptText("dbadm_…");
        token.textProperty().bindBidirectional(vm.tokenProperty());

        FieldErrors err = vm.errors();
        GridPane form = Forms.grid();
        form.setVgap(6);
        int row = Forms.field(form, 0, "_Server", server, err, SignInViewModel.SERVER);
        form.add(useToken, 1, row++);
        int user0 = row;
        row = Forms.field(form, row, "_User name", user, err, SignInViewModel.USERNAME);
        row = Forms.field(form, row, "_Password", pass, err, SignInViewModel.PASSWORD);
        showRows(form, user0, row, vm.useTokenProperty().not());
        int mfa0 = row;
        row = Forms.field(form, row, "_MFA code", mfa);
        showRows(form, mfa0, row, vm.useTokenProperty().not().and(vm.mfaRequiredProperty()));
        int token0 = row;
        row = Forms.field(form, row, "Admin to_ken", token, err, SignInViewModel.TOKEN);
        showRows(form, token0, row, vm.useTokenProperty());
        server.setPrefColumnCount(28);

        Label error = new Label();
        error.setId("sign-in-error");
        error.getStyleClass().add("error");
        error.setWrapText(true);
        error.setMaxWidth(420);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());

        Button go = new Button("Sign _in");
        go.setId("sign-in");
        go.setDefaultButton(true);
        go.disableProperty().bind(vm.canSignInProperty().not());
        go.setOnAction(e -> {
            signIn.run();
            Forms.focusFirstError(form);
        });
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(20, 20);
        spin.visibleProperty().bind(vm.busyProperty());
        HBox actions = new HBox(10, spin, go);
        actions.setAlignment(Pos.CENTER_RIGHT);

        VBox card = new VBox(14, title, form, error, actions);
        card.getStyleClass().add("card");
        card.setPadding(new Insets(24));
        card.setMaxSize(540, Region.USE_PREF_SIZE);
        root.getChildren().add(card);
        root.getStyleClass().add("sign-in");
    }

    /**
     * Shows the rows {@code from} (inclusive) to {@code to} of {@code form} only while {@code visible}. Their error
     * lines show only errors, and a hidden field has none (the checks skip it), so they are left alone.
     */
    private static void showRows(GridPane form, int from, int to, ObservableBooleanValue visible) {
        for (Node n : form.getChildren()) {
            Integer r = GridPane.getRowIndex(n);
            if (r != null && r >= from && r < to && !n.visibleProperty().isBound()) {
                n.visibleProperty().bind(visible);
                n.managedProperty().bind(n.visibleProperty());
            }
        }
    }

    public Node root() {
        return root;
    }

    /** The trust-on-first-use question: the CA's subject and SHA-256 fingerprint, and the server certificate's. */
    public static SignInViewModel.TrustPrompt prompt(Supplier<Window> owner) {
        return (host, ca, leaf) -> {
            Alert a = new Alert(Alert.AlertType.CONFIRMATION);
            a.initOwner(owner.get());
            a.setTitle("Trust this server?");
            a.setHeaderText("First connection to " + host + ": its certificate authority is not yet trusted.");
            TextArea details = new TextArea("""
                    Compare this fingerprint with the one the server printed (server-ca.pem in its data directory)
                    before trusting it.

                    Certificate authority: %s
                    SHA-256: %s

                    Server certificate: %s
                    SHA-256: %s
                    Valid until: %s
                    """.formatted(ca.getSubjectX500Principal().getName(), TrustedCas.sha256(ca),
                    leaf.getSubjectX500Principal().getName(), TrustedCas.sha256(leaf), leaf.getNotAfter().toInstant()));
            details.setId("trust-details");
            details.setEditable(false);
            details.setWrapText(false);
            details.setPrefRowCount(12);
            details.setPrefColumnCount(80);
            a.getDialogPane().setContent(details);
            ButtonType trust = new ButtonType("Trust this CA", ButtonBar.ButtonData.OK_DONE);
            a.getButtonTypes().setAll(trust, new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE));
            return a.showAndWait().filter(trust::equals).isPresent();
        };
    }

}
