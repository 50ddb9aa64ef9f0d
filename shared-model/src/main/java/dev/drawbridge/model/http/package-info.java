/** HTTP rules both ends of the tunnel apply identically. */
package dev.drawbridge.model.http;
