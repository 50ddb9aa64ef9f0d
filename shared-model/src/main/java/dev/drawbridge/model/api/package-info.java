/** JSON bodies of the admin API and of connector registration (serialized with Jackson by both sides). */
package dev.drawbridge.model.api;
