package dev.drawbridge.cli;

import dev.drawbridge.adminclient.SamlMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code drawbridge apps sso saml ...}: an app's SAML identity provider. {@code idp-metadata} fetches the metadata its
 * service provider imports ({@code GET /apps/{id}/saml/idp-metadata}; the app's signing key is made on first use), to a
 * file or to standard output. The service provider's metadata is read by {@code apps sso set --sp-metadata FILE}.
 */
@Command(name = "saml", description = "An app's SAML identity provider: idp-metadata (for its service provider to import).",
        subcommands = {AppSamlCommands.IdpMetadata.class})
final class AppSamlCommands {
    private AppSamlCommands() {
    }

    @Command(name = "idp-metadata", description = "Drawbridge's SAML identity provider metadata for the app (entity id, signing"
            + " certificate, single sign-on URL), for its service provider to import; to standard output or --out FILE.")
    static final class IdpMetadata extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Option(names = "--out", paramLabel = "FILE", description = "Write it to FILE (replaced if it exists) instead of standard output")
        Path out;

        @Override
        protected int execute() throws Exception {
            String id = AppCommands.appId(this, app);
            SamlMetadata metadata = api().apps().samlIdpMetadata(id);
            if (out == null) {
                // The XML as it came; the guarded writer still escapes any character a terminal would act on.
                output().out().print(metadata.xml().endsWith("\n") ? metadata.xml() : metadata.xml() + "\n");
                output().out().flush();
                return 0;
            }
            try {
                Files.writeString(out, metadata.xml(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CliException.usage("cannot write " + out + ": " + e.getMessage());
            }
            output().changed("Wrote the SAML identity provider metadata of app " + app + " to " + out, null, id);
            return 0;
        }
    }
}
