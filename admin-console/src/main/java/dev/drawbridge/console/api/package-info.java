/**
 * The console's admin API client ({@link dev.drawbridge.console.api.Api}) and the JSON shapes of endpoints
 * not (yet) in shared-model.
 */
package dev.drawbridge.console.api;
