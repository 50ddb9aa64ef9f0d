package dev.drawbridge.console.domains;

import dev.drawbridge.console.certificates.CertificateForm;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.FormDialog;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.DomainView;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Custom domains: the table (name, status, hosts without a certificate), then the selected domain's DNS records to
 * create and its pending CSR, each read-only with a Copy button. Add, Create CSR, Upload certificate and Delete need
 * DOMAINS_WRITE (global administrators).
 */
public final class DomainsView {
    private final VBox root = new VBox(8);

    public DomainsView(DomainsViewModel vm, Permissions perms) {
        TableView<DomainView> table = Tables.table(vm.domains(), "No custom domains: apps are published under the server's domain.");
        table.setId("domains-table");
        table.getColumns().add(Tables.column("Domain", 200, DomainView::name));
        table.getColumns().add(Tables.column("Status", 150, d -> d.status().name()));
        table.getColumns().add(Tables.column("DNS record to create", 320, d -> DomainsViewModel.records(d).replace("\n", ", ")));
        table.getColumns().add(Tables.column("Hosts without a certificate", 220, d -> String.join(", ", d.hostsWithoutCertificate())));
        table.setPrefHeight(180);

        Button add = new Button("_Add domain…");
        add.setId("domain-add");
        add.setOnAction(e -> {
            DomainForm form = new DomainForm();
            TextField name = new TextField();
            name.setId("domain-name");
            name.setPromptText("apps.contoso.com");
            name.textProperty().bindBidirectional(form.nameProperty());
            GridPane g = Forms.grid();
            Forms.field(g, 0, "_Name", name, form.errors(), DomainForm.NAME);
            FormDialog.show(root, "Add a custom domain", "Apps may then be published on it, under it and as *.domain", g, form,
                    close -> vm.add(form, close));
        });
        Button csr = new Button("Create _CSR");
        csr.setId("domain-csr");
        csr.setOnAction(e -> {
            DomainView d = vm.domains().selected();
            if (d != null && (d.csrPem().isEmpty() || Dialogs.confirm(root, "Create a new CSR for " + d.name() + "?",
                    "The pending CSR's key is replaced: a certificate issued for it can no longer be uploaded."))) {
                vm.createCsr(d);
            }
        });
        Button upload = new Button("_Upload certificate…");
        upload.setId("domain-certificate");
        upload.setOnAction(e -> {
            DomainView d = vm.domains().selected();
            if (d == null) {
                return;
            }
            CertificateForm form = CertificateForm.pem();
            TextArea pem = new TextArea();
            pem.setId("domain-certificate-pem");
            pem.setPromptText("-----BEGIN CERTIFICATE-----\n… (and its -----BEGIN PRIVATE KEY-----, unless issued for this domain's CSR)");
            pem.setPrefRowCount(12);
            pem.setPrefColumnCount(64);
            pem.textProperty().bindBidirectional(form.pemProperty());
            GridPane g = Forms.grid();
            Forms.field(g, 0, "P_EM", pem, form.errors(), CertificateForm.PEM);
            FormDialog.show(root, "Certificate of " + d.name(), "Paste the chain (and key), naming " + d.name() + " or *." + d.name(), g,
                    form, close -> vm.uploadCertificate(d, form, close));
        });
        Button delete = new Button("_Delete");
        delete.setId("domain-delete");
        delete.setOnAction(e -> {
            DomainView d = vm.domains().selected();
            if (d != null && Dialogs.confirm(root, "Delete the domain " + d.name() + "?",
                    "Apps can no longer be published on it; its certificate stays among the app certificates.")) {
                vm.delete(d);
            }
        });
        var none = vm.domains().selectedProperty().isNull();
        HBox buttons = new HBox(8, Guard.guard(add, perms, Permission.DOMAINS_WRITE), Guard.guard(csr, perms, Permission.DOMAINS_WRITE, none),
                Guard.guard(upload, perms, Permission.DOMAINS_WRITE, none), Guard.guard(delete, perms, Permission.DOMAINS_WRITE, none));
        Label hint = new Label("Apps outside the server's domain need their domain here first. Point its DNS at the server with the"
                + " record shown, then give it a certificate: paste one with its key, or create a CSR for a CA to issue.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        Label warning = new Label();
        warning.setId("domain-warning");
        warning.getStyleClass().add("error");
        warning.setWrapText(true);
        warning.textProperty().bind(vm.warningText());
        root.getChildren().addAll(buttons, hint, table, warning, copyable("DNS records to create", "domain-dns", vm.recordsText(), 2),
                copyable("Certificate signing request (send it to your CA)", "domain-csr-pem", vm.csrText(), 8));
        VBox.setVgrow(table, Priority.ALWAYS);
    }

    /** A read-only text with its title and a Copy button. */
    private static Node copyable(String title, String id, ObservableStringValue text, int rows) {
        Label label = new Label(title);
        label.getStyleClass().add("section");
        TextArea area = new TextArea();
        area.setId(id);
        area.setEditable(false);
        area.setPrefRowCount(rows);
        area.textProperty().bind(text);
        Button copy = new Button("Copy");
        copy.setId(id + "-copy");
        copy.disableProperty().bind(area.textProperty().isEmpty());
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(area.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        return new VBox(4, new HBox(8, label, copy), area);
    }

    public Node root() {
        return root;
    }
}
