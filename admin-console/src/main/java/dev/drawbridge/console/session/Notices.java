package dev.drawbridge.console.session;

/** Short messages to the admin: ControlsFX notifications in the app, a list in tests. */
public interface Notices {
    void info(String title, String text);

    void warn(String title, String text);

    void error(String title, String text);
}
