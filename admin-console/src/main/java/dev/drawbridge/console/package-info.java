/**
 * The Drawbridge admin console: a JavaFX + ControlsFX desktop client of the admin REST API (never the database).
 * {@link dev.drawbridge.console.Launcher} is the entry point; {@link dev.drawbridge.console.ConsoleApp} the
 * composition root. Each screen is a package with an {@code XxxView} (layout, bindings) and an
 * {@code XxxViewModel} (state and commands, no {@code javafx.scene}).
 */
package dev.drawbridge.console;
