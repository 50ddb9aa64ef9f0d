package dev.drawbridge.console.certificates;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.FormDialog;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.CertificateView;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.BiConsumer;

/**
 * The sign-in host's certificate (set or removed by global administrators), then uploaded app certificates with their
 * hosts and expiry (upload and delete).
 */
public final class CertificatesView {
    private final VBox root = new VBox(8);

    public CertificatesView(CertificatesViewModel vm, Permissions perms) {
        TableView<CertificateView> table = Tables.table(vm.certificates(),
                "No uploaded certificates: hosts under the server's domain use certificates from its own CA.");
        table.setId("certificates-table");
        table.getColumns().add(Tables.column("Hosts", 200, c -> String.join(", ", c.hosts())));
        table.getColumns().add(Tables.column("Subject", 180, CertificateView::subject));
        table.getColumns().add(Tables.column("Issuer", 180, CertificateView::issuer));
        table.getColumns().add(Tables.column("Valid from", 130, c -> Tables.time(c.notBefore())));
        TableColumn<CertificateView, Object> until = Tables.column("Valid until", 200, c -> c);
        until.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Object item, boolean empty) {
                super.updateItem(item, empty);
                getStyleClass().removeAll("expiring", "expired");
                if (empty || item == null) {
                    setText(null);
                    return;
                }
                CertificateView c = (CertificateView) item;
                String e = vm.expiry(c);
                setText(Tables.time(c.notAfter()) + (e.isEmpty() ? "" : "  (" + e + ")"));
                if (!e.isEmpty()) {
                    getStyleClass().add(e.equals("expired") ? "expired" : "expiring");
                }
            }
        });
        table.getColumns().add(until);
        table.getColumns().add(Tables.column("SHA-256", 200, CertificateView::fingerprintSha256));

        Button upload = new Button("_Upload PEM…");
        upload.setId("certificate-upload");
        upload.setOnAction(e -> pemDialog("Upload certificate", "Paste the certificate chain and its private key (PEM)",
                CertificateForm.pem(), vm::upload));
        Button p12 = new Button("Upload _PKCS#12…");
        p12.setId("certificate-upload-p12");
        p12.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PKCS#12", "*.p12", "*.pfx"));
            File f = fc.showOpenDialog(root.getScene().getWindow());
            if (f != null) {
                byte[] file;
                try {
                    file = Files.readAllBytes(f.toPath());
                } catch (IOException x) {
                    Dialogs.confirm(root, "Cannot read " + f.getName(), x.getMessage());
                    return;
                }
                CertificateForm form = CertificateForm.pkcs12(file);
                GridPane g = Forms.grid();
                PasswordField pw = new PasswordField();
                pw.setId("certificate-password");
                pw.textProperty().bindBidirectional(form.passwordProperty());
                Forms.field(g, 0, "_Password", pw, form.errors(), CertificateForm.PASSWORD);
                FormDialog.show(root, "Upload certificate", "Password of " + f.getName(), g, form, close -> vm.upload(form, close));
            }
        });
        Button delete = new Button("_Delete");
        delete.setId("certificate-delete");
        delete.setOnAction(e -> {
            CertificateView c = vm.certificates().selected();
            if (c != null && Dialogs.confirm(root, "Delete the certificate of " + String.join(", ", c.hosts()) + "?",
                    "Apps on these hosts fall back to the server's own certificates.")) {
                vm.delete(c);
            }
        });
        Label hint = new Label("App certificates for custom domains (apps outside the server's domain), chosen by SNI."
                + " They never cover the admin or sign-in host.");
        hint.getStyleClass().add("hint");
        Label apps = new Label("App certificates");
        apps.getStyleClass().add("section");
        root.getChildren().addAll(serverSection(vm, perms), apps);
        root.getChildren().addAll(new HBox(8, Guard.guard(upload, perms, Permission.CERTIFICATES_WRITE),
                Guard.guard(p12, perms, Permission.CERTIFICATES_WRITE),
                Guard.guard(delete, perms, Permission.CERTIFICATES_WRITE, vm.certificates().selectedProperty().isNull())), hint, table);
        VBox.setVgrow(table, Priority.ALWAYS);
    }

    /** The sign-in host's certificate: what it presents, set (PEM) and remove, for global administrators. */
    private Node serverSection(CertificatesViewModel vm, Permissions perms) {
        Label title = new Label("Sign-in host certificate");
        title.getStyleClass().add("section");
        Label state = new Label();
        state.setId("server-certificate-state");
        state.setWrapText(true);
        state.textProperty().bind(vm.serverCertificateStateProperty());
        Button set = new Button("_Set sign-in certificate…");
        set.setId("server-certificate-set");
        set.setOnAction(e -> pemDialog("Set the sign-in host's certificate",
                "Paste the chain and private key (PEM) of a certificate covering the sign-in host", CertificateForm.pem(),
                vm::setServerCertificate));
        Button remove = new Button("_Remove");
        remove.setId("server-certificate-remove");
        remove.setOnAction(e -> {
            if (Dialogs.confirm(root, "Remove the sign-in host's certificate?", "The sign-in host presents the server CA's certificate again.")) {
                vm.removeServerCertificate();
            }
        });
        Label hint = new Label("Global administrators only. The admin host always presents the server CA's certificate, which connectors pin.");
        hint.getStyleClass().add("hint");
        return new VBox(4, title, state, new HBox(8, Guard.guard(set, perms, Permission.SERVER_CERTIFICATES_WRITE),
                Guard.guard(remove, perms, Permission.SERVER_CERTIFICATES_WRITE, vm.serverCertificateProperty().isNull())), hint);
    }

    /** A dialog to paste PEM into; {@code send} gets the form and the action that closes the dialog. */
    private void pemDialog(String titleText, String header, CertificateForm form, BiConsumer<CertificateForm, Runnable> send) {
        TextArea pem = new TextArea();
        pem.setId("certificate-pem");
        pem.setPromptText("-----BEGIN CERTIFICATE-----\n…\n-----BEGIN PRIVATE KEY-----\n…");
        pem.setPrefRowCount(14);
        pem.setPrefColumnCount(64);
        pem.textProperty().bindBidirectional(form.pemProperty());
        GridPane g = Forms.grid();
        Forms.field(g, 0, "P_EM", pem, form.errors(), CertificateForm.PEM);
        FormDialog.show(root, titleText, header, g, form, close -> send.accept(form, close));
    }

    public Node root() {
        return root;
    }
}
