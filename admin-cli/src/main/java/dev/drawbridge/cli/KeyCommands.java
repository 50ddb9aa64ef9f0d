package dev.drawbridge.cli;

import dev.drawbridge.model.api.SigningKeyView;
import dev.drawbridge.model.api.SigningKeysView;
import picocli.CommandLine.Command;

/**
 * {@code drawbridge keys ...}: the server's signing keys, shown, and rotated on every node (a global administrator's
 * operation): docs/security.md, "Signing keys and their rotation".
 */
@Command(name = "keys", description = "The server's signing keys: show, rotate (global administrators).",
        subcommands = {KeyCommands.Show.class, KeyCommands.Rotate.class})
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
}
