/** What the console remembers between runs: settings, window layout, and the server CAs the user accepted. */
package dev.drawbridge.console.config;
