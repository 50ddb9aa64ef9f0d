package dev.drawbridge.cli;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** {@code drawbridge certificates ...}: app TLS certificates the server presents for custom domains. */
@Command(name = "certificates", description = "App certificates for custom domains: list, show, upload, delete.",
        subcommands = {CertificateCommands.ListCommand.class, CertificateCommands.Show.class, CertificateCommands.Upload.class,
                CertificateCommands.Delete.class})
final class CertificateCommands {
    private CertificateCommands() {
    }

    @Command(name = "list", description = "List uploaded certificates.")
    static final class ListCommand extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().list(api().certificates().list(), Columns.CERTIFICATES);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one certificate (by id or subject).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "CERTIFICATE")
        String certificate;

        @Override
        protected int execute() throws Exception {
            return show(api().certificates().get(resolve(() -> api().certificates().list(), "certificate", certificate, "subject")));
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
            CertificateView c = api().certificates().upload(body(this, source, passwordStdin));
            output().changed("Uploaded certificate " + label(c, "subject") + " for " + Table.text(Output.tree(c).path("hosts")), c, c.id());
            return 0;
        }
    }

    /** The upload body: the PEM file's text, or the PKCS#12 file in base64 with its password (stdin or prompt). */
    static CertificateUpload body(ApiCommand command, Source source, boolean passwordStdin) throws CliException {
        try {
            if (source.pem != null) {
                if (passwordStdin) {
                    throw CliException.usage("--password-stdin goes with --pkcs12; a PEM key must not be encrypted");
                }
                return new CertificateUpload(Files.readString(source.pem, StandardCharsets.US_ASCII), null, null);
            } else {
                String pkcs12 = Base64.getEncoder().encodeToString(Files.readAllBytes(source.pkcs12));
                return new CertificateUpload(null, pkcs12, Prompts.secret(command.cli(), "PKCS#12 password", passwordStdin, "--password-stdin"));
            }
        } catch (IOException e) {
            throw CliException.usage("cannot read " + (source.pem != null ? source.pem : source.pkcs12) + ": " + e.getMessage());
        }
    }

    @Command(name = "delete", description = "Delete an uploaded certificate.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        protected int execute() throws Exception {
            String resolved = resolve(() -> api().certificates().list(), "certificate", id, "subject");
            api().certificates().delete(resolved);
            return deleted("Deleted certificate " + id, resolved);
        }
    }
}
