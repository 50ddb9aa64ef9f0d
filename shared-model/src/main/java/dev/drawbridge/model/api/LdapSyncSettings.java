package dev.drawbridge.model.api;

/**
 * Where and how to read users and groups from LDAP / Active Directory. The bind password is write-only:
 * the API never returns it.
 *
 * @param url                 ldap:// or ldaps:// URL
 * @param userBase            search base of users, e.g. ou=people,dc=corp,dc=example
 * @param userFilter          e.g. (objectClass=inetOrgPerson) or (&(objectClass=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))
 * @param upnAttribute        the sign-in name: userPrincipalName (AD), mail or uid
 * @param groupBase           search base of groups
 * @param groupFilter         e.g. (objectClass=groupOfNames)
 * @param intervalMinutes     sync schedule; 0 = on demand only
 * @param verifyPasswordsWithLdap sign-in of synced users is checked by an LDAP bind as the user
 */
public record LdapSyncSettings(String url, String bindDn, String bindPassword, String userBase, String userFilter,
                               String upnAttribute, String displayNameAttribute, String mailAttribute,
                               String departmentAttribute, String groupBase, String groupFilter, String memberAttribute,
                               Integer intervalMinutes, Boolean verifyPasswordsWithLdap) {
}
