package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code drawbridge server-certificate ...}: the sign-in host's certificate, a global administrator's operation,
 * apart from app certificates ({@code drawbridge certificates}).
 */
@Command(name = "server-certificate", description = "The sign-in host's certificate (global administrators): show, set, delete.",
        subcommands = {ServerCertificateCommands.Show.class, ServerCertificateCommands.Set.class, ServerCertificateCommands.Delete.class})
final class ServerCertificateCommands {
    private ServerCertificateCommands() {
    }

    @Command(name = "show", description = "Show the sign-in host's certificate (an error when the server CA's is served).")
    static final class Show extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().item(api().get("server-certificate"));
            return 0;
        }
    }

    @Command(name = "set", description = "Set the sign-in host's certificate and private key, replacing any previous one. "
            + "It must cover the sign-in host; it is never served for the admin host nor on the tunnel port.")
    static final class Set extends ApiCommand {
        @ArgGroup(multiplicity = "1")
        CertificateCommands.Source source;
        @Option(names = "--password-stdin", description = "Read the PKCS#12 password from the first line of standard input")
        boolean passwordStdin;

        @Override
        protected int execute() throws Exception {
            JsonNode c = api().send("PUT", "server-certificate", CertificateCommands.body(this, source, passwordStdin));
            output().changed("Set the server certificate " + label(c, "subject") + " for " + Table.text(c.path("hosts")), c, c.path("id").asText());
            return 0;
        }
    }

    @Command(name = "delete", description = "Remove the sign-in host's certificate; the server CA's is served again.")
    static final class Delete extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            api().send("DELETE", "server-certificate", null);
            output().changed("Removed the server certificate; the sign-in host presents the server CA's certificate", null, "server-certificate");
            return 0;
        }
    }
}
