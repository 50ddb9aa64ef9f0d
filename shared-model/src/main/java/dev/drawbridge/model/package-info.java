/** Types and wire formats that the proxy server, the connector and the admin clients agree on. JDK only. */
package dev.drawbridge.model;
