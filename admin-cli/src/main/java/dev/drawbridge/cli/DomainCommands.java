package dev.drawbridge.cli;

import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainView;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** {@code drawbridge domains ...}: custom domains apps may be published on, their DNS records and certificates. */
@Command(name = "domains", description = "Custom domains: list, show, add, csr, certificate, delete.",
        subcommands = {DomainCommands.ListCommand.class, DomainCommands.Show.class, DomainCommands.Add.class, DomainCommands.Csr.class,
                DomainCommands.Certificate.class, DomainCommands.Delete.class})
final class DomainCommands {
    /** What a CSR may look like before it is printed: PEM armour and base64 only (nothing a terminal would act on). */
    private static final Pattern PEM = Pattern.compile("[A-Za-z0-9+/=\\n -]*");

    private DomainCommands() {
    }

    @Command(name = "list", description = "List custom domains, their status and the DNS record to create for each.")
    static final class ListCommand extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().list(api().domains().list(), Columns.DOMAINS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one domain (by id or name).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        protected int execute() throws Exception {
            return show(api().domains().get(resolve(() -> api().domains().list(), "domain", domain, "name")));
        }
    }

    @Command(name = "add", description = "Add a custom domain (global administrators); prints the DNS record to create.")
    static final class Add extends ApiCommand {
        @Parameters(paramLabel = "NAME", description = "The domain, e.g. apps.contoso.com")
        String name;

        @Override
        protected int execute() throws Exception {
            DomainView d = api().domains().add(new DomainSpec(name));
            output().changed("Added domain " + label(d, "name") + "; create the DNS record " + Columns.dnsRecords(Output.tree(d)), d, d.id());
            return 0;
        }
    }

    @Command(name = "csr", description = "Have the server create a key and a certificate signing request for the domain; prints the CSR.")
    static final class Csr extends ApiCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;
        @Option(names = "--out", paramLabel = "FILE", description = "Write the CSR to FILE instead of standard output")
        Path out;

        @Override
        protected int execute() throws Exception {
            DomainView d = api().domains().createCsr(resolve(() -> api().domains().list(), "domain", domain, "name"));
            if (!PEM.matcher(d.csrPem()).matches()) {
                throw new CliException(CliException.API, "the server's answer is not a PEM certificate signing request");
            }
            if (out != null) {
                try {
                    Files.writeString(out, d.csrPem(), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw CliException.usage("cannot write " + out + ": " + e.getMessage());
                }
                output().changed("Wrote the CSR of " + label(d, "name") + " to " + out, d, d.id());
            } else if (cli().format() == DrawbridgeCli.Format.json) {
                output().item(d);
            } else {
                out().print(d.csrPem());
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "certificate", description = {"Upload the domain's certificate (global administrators): --pem with the chain and"
            + " its key, or with the chain alone when a CA issued it for the domain's CSR (the server pairs it with the CSR's key);"
            + " or --pkcs12."})
    static final class Certificate extends ApiCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;
        @ArgGroup(multiplicity = "1")
        CertificateCommands.Source withKey;
        @Option(names = "--password-stdin", description = "Read the PKCS#12 password from the first line of standard input")
        boolean passwordStdin;

        @Override
        protected int execute() throws Exception {
            String id = resolve(() -> api().domains().list(), "domain", domain, "name");
            DomainView d = api().domains().uploadCertificate(id, CertificateCommands.body(this, withKey, passwordStdin));
            output().changed("Stored the certificate of " + label(d, "name") + " (status " + d.status() + ")", d, d.id());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a custom domain (refused while apps are published on it).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        protected int execute() throws Exception {
            String resolved = resolve(() -> api().domains().list(), "domain", domain, "name");
            api().domains().delete(resolved);
            return deleted("Deleted domain " + domain, resolved);
        }
    }
}
