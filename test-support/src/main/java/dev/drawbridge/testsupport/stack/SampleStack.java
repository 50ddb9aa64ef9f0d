package dev.drawbridge.testsupport.stack;

import dev.drawbridge.testsupport.sample.SampleApp;

import java.nio.file.Path;

/**
 * The usual system-test setup in one place: the sample internal app, a stack on loopback, the app
 * published as "Sample" at https://sample.localhost:PORT/, and one connector per entry of
 * {@code tunnelsPerConnector}. Closing it stops the stack (connectors drain first), then the app.
 */
public record SampleStack(SampleApp app, DrawbridgeStack stack, String url) implements AutoCloseable {
    public static SampleStack start(Path dir, DrawbridgeStack.Options options, int... tunnelsPerConnector) throws Exception {
        SampleApp app = SampleApp.start("127.0.0.1", 0);
        DrawbridgeStack stack = DrawbridgeStack.start(options);
        String url = stack.publish("Sample", "sample", app.baseUri());
        for (int i = 0; i < tunnelsPerConnector.length; i++) {
            stack.startConnector(dir.resolve("connector-" + i), tunnelsPerConnector[i]);
        }
        return new SampleStack(app, stack, url);
    }

    /** With the test defaults ({@link DrawbridgeStack.Options#forTests}) in {@code dir/server}. */
    public static SampleStack start(Path dir, int... tunnelsPerConnector) throws Exception {
        return start(dir, DrawbridgeStack.Options.forTests(dir.resolve("server")), tunnelsPerConnector);
    }

    @Override
    public void close() throws Exception {
        stack.close();
        app.close();
    }
}
