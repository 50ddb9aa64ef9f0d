package dev.drawbridge.console.signin;

import dev.drawbridge.console.config.TrustedCas;
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

        GridPane form = new GridPane(10, 8);
        Label serverLabel = label("_Server", server);
        Label userLabel = label("_User name", user), passLabel = label("_Password", pass), mfaLabel = label("_MFA code", mfa);
        Label tokenLabel = label("Admin to_ken", token);
        form.addRow(0, serverLabel, server);
        form.add(useToken, 1, 1);
        form.addRow(2, userLabel, user);
        form.addRow(3, passLabel, pass);
        form.addRow(4, mfaLabel, mfa);
        form.addRow(5, tokenLabel, token);
        server.setPrefColumnCount(28);
        for (Node n : new Node[]{userLabel, user, passLabel, pass}) {
            n.visibleProperty().bind(vm.useTokenProperty().not());
            n.managedProperty().bind(n.visibleProperty());
        }
        for (Node n : new Node[]{mfaLabel, mfa}) {
            n.visibleProperty().bind(vm.useTokenProperty().not().and(vm.mfaRequiredProperty()));
            n.managedProperty().bind(n.visibleProperty());
        }
        for (Node n : new Node[]{tokenLabel, token}) {
            n.visibleProperty().bind(vm.useTokenProperty());
            n.managedProperty().bind(n.visibleProperty());
        }

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
        go.setOnAction(e -> signIn.run());
        ProgressIndicator spin = new ProgressIndicator();
        spin.setPrefSize(20, 20);
        spin.visibleProperty().bind(vm.busyProperty());
        HBox actions = new HBox(10, spin, go);
        actions.setAlignment(Pos.CENTER_RIGHT);

        VBox card = new VBox(14, title, form, error, actions);
        card.getStyleClass().add("card");
        card.setPadding(new Insets(24));
        card.setMaxSize(540, javafx.scene.layout.Region.USE_PREF_SIZE);
        root.getChildren().add(card);
        root.getStyleClass().add("sign-in");
    }

    private static Label label(String text, Node target) {
        Label l = new Label(text);
        l.setMnemonicParsing(true);
        l.setLabelFor(target);
        return l;
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
