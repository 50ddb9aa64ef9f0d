/**
 * Conditional access in the admin API: {@code /policies} and the {@code /named-locations} (IP ranges) they refer to,
 * each validated field by field, every change audit-logged.
 */
package dev.drawbridge.proxy.admin.policy;
