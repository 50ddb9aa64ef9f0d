/** What the management listeners of the server and the connector answer (docs/operations.md). */
package dev.drawbridge.model.operations;
