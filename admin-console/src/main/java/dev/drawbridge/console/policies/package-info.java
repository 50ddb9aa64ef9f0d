/** Conditional access policies and named locations. */
package dev.drawbridge.console.policies;
