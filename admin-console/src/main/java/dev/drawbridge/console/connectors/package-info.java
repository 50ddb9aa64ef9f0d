/** Connector groups and connectors: status lights, last seen, move, revoke, registration tokens. */
package dev.drawbridge.console.connectors;
