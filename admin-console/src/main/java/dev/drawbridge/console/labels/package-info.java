/** The words an admin reads for the API's enums and codes: {@link dev.drawbridge.console.labels.Labels}. */
package dev.drawbridge.console.labels;
