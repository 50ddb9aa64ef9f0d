package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.secrets.ClusterKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code drawbridge-server cluster-key new --out FILE}: makes a new cluster key in a new file of mode 0600 (never over an
 * existing one: a cluster's key replaced is a cluster that no longer starts). The key is not printed; its id is.
 */
@Command(name = "cluster-key", description = "The cluster key that nodes sharing one PostgreSQL database seal their keys with"
        + " (docs/scale-out.md).", subcommands = ClusterKeyCommand.New.class)
final class ClusterKeyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: say what to do, e.g. 'drawbridge-server cluster-key new --out FILE'.");
        spec.commandLine().getErr().flush();
        return FrontDoor.USAGE;
    }

    @Command(name = "new", description = "Write a new cluster key to a new file (mode 0600). Give the same file to every node"
            + " (--cluster-key-file) before the first of them starts with --database-url.")
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to create (it must not exist)")
        Path out;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ClusterKey key = ClusterKey.generate();
            try {
                key.writeNew(out);
            } catch (FileAlreadyExistsException e) {
                err.println("error: " + out + " already exists: a cluster key is never overwritten (the nodes sealed their secrets with"
                        + " it); choose another file with --out.");
                err.flush();
                return FrontDoor.USAGE;
            } catch (IOException e) {
                err.println("error: cannot write " + out + " (" + StartupFailures.oneLine(String.valueOf(e.getMessage()))
                        + "): choose a folder this user can write with --out.");
                err.flush();
                return 1;
            }
            PrintWriter o = spec.commandLine().getOut();
            o.println("Cluster key " + key.id() + " written to " + out + " (mode 0600). Give every node the same key with"
                    + " --cluster-key-file, and keep a copy with the database backups: without it they cannot be restored.");
            o.flush();
            return 0;
        }
    }
}
