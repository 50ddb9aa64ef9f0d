/** Users and groups of the built-in directory. */
package dev.drawbridge.console.directory;
