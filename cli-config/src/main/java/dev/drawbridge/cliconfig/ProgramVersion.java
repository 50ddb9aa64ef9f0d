package dev.drawbridge.cliconfig;

import dev.drawbridge.model.DrawbridgeVersion;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code --version}: the program's name and the build's version ({@link DrawbridgeVersion}), e.g. {@code drawbridge-server 0.1.0}. */
public final class ProgramVersion implements IVersionProvider {
    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        return new String[] {spec.root().name() + " " + DrawbridgeVersion.current()};
    }
}
