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
 * @param connectorGroup      reach the LDAP server through a connector of this group (name or id; the API
 *                            answers with the name): the server opens a raw TCP stream through the tunnel and
 *                            the connector connects to the URL's host and port inside the network; ldaps:// TLS
 *                            still runs end to end from the server. Empty: the server connects directly; null
 *                            (absent) on an update keeps the stored choice, on a first save means directly.
 */
public record LdapSyncSettings(String url, String bindDn, String bindPassword, String userBase, String userFilter,
                               String upnAttribute, String displayNameAttribute, String mailAttribute,
                               String departmentAttribute, String groupBase, String groupFilter, String memberAttribute,
                               Integer intervalMinutes, Boolean verifyPasswordsWithLdap, String connectorGroup) {

    /** Settings for a directly reachable LDAP server (no connector group). */
    public LdapSyncSettings(String url, String bindDn, String bindPassword, String userBase, String userFilter,
                            String upnAttribute, String displayNameAttribute, String mailAttribute,
                            String departmentAttribute, String groupBase, String groupFilter, String memberAttribute,
                            Integer intervalMinutes, Boolean verifyPasswordsWithLdap) {
        this(url, bindDn, bindPassword, userBase, userFilter, upnAttribute, displayNameAttribute, mailAttribute,
                departmentAttribute, groupBase, groupFilter, memberAttribute, intervalMinutes, verifyPasswordsWithLdap, null);
    }

    /** The same settings reached through {@code group} (null: directly). */
    public LdapSyncSettings withConnectorGroup(String group) {
        return new LdapSyncSettings(url, bindDn, bindPassword, userBase, userFilter, upnAttribute, displayNameAttribute,
                mailAttribute, departmentAttribute, groupBase, groupFilter, memberAttribute, intervalMinutes,
                verifyPasswordsWithLdap, group);
    }

    /** The same settings with another bind password. */
    public LdapSyncSettings withBindPassword(String password) {
        return new LdapSyncSettings(url, bindDn, password, userBase, userFilter, upnAttribute, displayNameAttribute,
                mailAttribute, departmentAttribute, groupBase, groupFilter, memberAttribute, intervalMinutes,
                verifyPasswordsWithLdap, connectorGroup);
    }
}
