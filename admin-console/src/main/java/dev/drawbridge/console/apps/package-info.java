/** Applications: publish, edit (with live validation), test through a connector, assign users and groups. */
package dev.drawbridge.console.apps;
