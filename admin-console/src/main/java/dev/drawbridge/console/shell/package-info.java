/** The console window: navigation between screens, progress, notifications, background tasks, permission guards. */
package dev.drawbridge.console.shell;
