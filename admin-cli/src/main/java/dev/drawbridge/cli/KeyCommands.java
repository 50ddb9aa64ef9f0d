package dev.drawbridge.cli;

import dev.drawbridge.model.api.SigningKeyView;
import dev.drawbridge.model.api.SigningKeysView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drawbridge keys ...}: the server's signing keys, shown, and rotated on every node (a global administrator's
 * operation), and one retired at once after a leak (asks first): docs/security.md, "Signing keys and their rotation".
 */
@Command(name = "keys", description = "The server's signing keys: show, rotate, retire (global administrators).",
        subcommands = {KeyCommands.Show.class, KeyCommands.Rotate.class, KeyCommands.Retire.class})
final class KeyCommands {
    private KeyCommands() {
    }

    @Command(name = "show", description = "Show the signing keys of both sets with their states (pending, signing, retiring, retired) and times.")
    static final class Show extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().item(api().certificates().signingKeys());
            return 0;
        }
    }

    @Command(name = "rotate", description = "Rotate the signing keys on every node: new keys sign 30 s later; the previous ones verify until"
            + " every token they signed has expired. Nobody is signed out.")
    static final class Rotate extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            SigningKeysView v = api().certificates().rotateSigningKeys();
            String from = v.keys().stream().filter(k -> k.state().equals("pending")).map(SigningKeyView::signsFrom).max(Comparable::compareTo)
                    .map(Object::toString).orElse("now");
            output().changed("Rotated the signing keys (generation " + v.generation() + "); the new keys sign from " + from, v,
                    Long.toString(v.generation()));
            return 0;
        }
    }

    @Command(name = "retire", description = "Retire one signing key now, after a leak: it verifies nothing from now on, on every node;"
            + " sessions and tokens it signed end (their users sign in again). The signing key only once a newer one exists"
            + " (rotate first). Asks first unless --yes.")
    static final class Retire extends ApiCommand {
        @Parameters(paramLabel = "KEY_ID", description = "The key's id, as `drawbridge keys show` lists it")
        String kid;
        @Option(names = {"-y", "--yes"}, description = "Do not ask: retire it and end what it signed")
        boolean yes;

        @Override
        protected int execute() throws Exception {
            if (!yes) {
                SigningKeyView k = api().certificates().signingKeys().keys().stream().filter(key -> key.keyId().equals(kid)).findFirst()
                        .orElseThrow(() -> CliException.usage("no signing key has the id " + kid + " (drawbridge keys show lists them)"));
                String question = "Retire the " + k.set() + " key " + kid + " (" + k.state() + ") now? What it signed stops verifying on"
                        + " every node: " + (k.set().equals("sso") ? "identities sent to connectors with it are refused."
                        : "sessions and tokens it signed end, their users sign in again.");
                if (!Prompts.confirm(cli(), question, "--yes")) {
                    throw CliException.usage("not confirmed: nothing was retired");
                }
            }
            SigningKeysView v = api().certificates().retireSigningKey(kid);
            output().changed("Retired signing key " + kid + " (generation " + v.generation() + "): what it signed is refused on every"
                    + " node from now on", v, kid);
            return 0;
        }
    }
}
