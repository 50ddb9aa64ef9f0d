/** The signed-in session and the services every view model gets: background tasks, notices, permissions. */
package dev.drawbridge.console.session;
