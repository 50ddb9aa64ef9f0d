package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code drawbridge certificates ...}: app TLS certificates the server presents for custom domains. */
@Command(name = "certificates", description = "App certificates for custom domains: list, show, upload, delete.",
        subcommands = {CertificateCommands.List.class, CertificateCommands.Show.class, CertificateCommands.Upload.class,
                CertificateCommands.Delete.class})
final class CertificateCommands {
    private CertificateCommands() {
    }

    @Command(name = "list", description = "List uploaded certificates.")
    static final class List extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().list(api().get("certificates"), Columns.CERTIFICATES);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one certificate (by id or subject).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "CERTIFICATE")
        String certificate;

        @Override
        protected int execute() throws Exception {
            return show("certificates", resolve("certificates", "certificate", certificate, "subject"));
        }
    }

    /** Exactly one of the two formats. */
    static final class Source {
        @Option(names = "--pem", required = true, paramLabel = "FILE", description = "PEM file: the certificate chain and its private key")
        Path pem;
        @Option(names = "--pkcs12", required = true, paramLabel = "FILE",
                description = "PKCS#12 (.p12/.pfx) file; its password is read from stdin (--password-stdin) or typed")
        Path pkcs12;
    }

    @Command(name = "upload", description = "Upload an app certificate and its private key (never for the admin or sign-in host).")
    static final class Upload extends ApiCommand {
        @ArgGroup(multiplicity = "1")
        Source source;
        @Option(names = "--password-stdin", description = "Read the PKCS#12 password from the first line of standard input")
        boolean passwordStdin;

        @Override
        protected int execute() throws Exception {
            JsonNode c = api().send("POST", "certificates", body(this, source, passwordStdin));
            output().changed("Uploaded certificate " + label(c, "subject") + " for " + Table.text(c.path("hosts")), c, c.path("id").asText());
            return 0;
        }
    }

    /** The upload body: the PEM file's text, or the PKCS#12 file in base64 with its password (stdin or prompt). */
    static Map<String, Object> body(ApiCommand command, Source source, boolean passwordStdin) throws CliException {
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            if (source.pem != null) {
                if (passwordStdin) {
                    throw CliException.usage("--password-stdin goes with --pkcs12; a PEM key must not be encrypted");
                }
                body.put("pem", Files.readString(source.pem, StandardCharsets.US_ASCII));
            } else {
                body.put("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(source.pkcs12)));
                body.put("password", Prompts.secret(command.cli(), "PKCS#12 password", passwordStdin, "--password-stdin"));
            }
        } catch (IOException e) {
            throw CliException.usage("cannot read " + (source.pem != null ? source.pem : source.pkcs12) + ": " + e.getMessage());
        }
        return body;
    }

    @Command(name = "delete", description = "Delete an uploaded certificate.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int execute() throws Exception {
            String resolved = resolve("certificates", "certificate", id, "subject");
            return delete("certificates", resolved, "Deleted certificate " + id);
        }
    }
}
