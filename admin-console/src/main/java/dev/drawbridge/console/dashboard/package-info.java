/** The dashboard: connector health, sign-ins over time, certificates near expiry. */
package dev.drawbridge.console.dashboard;
