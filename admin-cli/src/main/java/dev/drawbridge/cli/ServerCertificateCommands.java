package dev.drawbridge.cli;

import dev.drawbridge.model.api.CertificateView;
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
            output().item(api().certificates().serverCertificate());
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
            CertificateView c = api().certificates().setServerCertificate(CertificateCommands.body(this, source, passwordStdin));
            output().changed("Set the server certificate " + label(c, "subject") + " for " + Table.text(Output.tree(c).path("hosts")), c, c.id());
            return 0;
        }
    }

    @Command(name = "delete", description = "Remove the sign-in host's certificate; the server CA's is served again.")
    static final class Delete extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            api().certificates().removeServerCertificate();
            output().changed("Removed the server certificate; the sign-in host presents the server CA's certificate", null, "server-certificate");
            return 0;
        }
    }
}
