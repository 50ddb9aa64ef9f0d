package dev.drawbridge.model.api;

import java.util.Optional;

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
 * @param onPremUpnAttribute  the attribute holding the user's on-premises user principal name (the identity Kerberos
 *                            delegation and header single sign-on may name the user by): {@value #AD_ON_PREM_UPN} in
 *                            Active Directory, e.g. krbCanonicalName in FreeIPA. Empty: not synced; null (absent) on an
 *                            update keeps the stored choice, on a first save means {@value #AD_ON_PREM_UPN}. The API
 *                            answers the name in use.
 * @param samAccountNameAttribute the attribute holding the on-premises SAM account name (the pre-Windows 2000 logon
 *                            name): {@value #AD_SAM_ACCOUNT_NAME} in Active Directory, e.g. uid elsewhere. Empty, null:
 *                            as {@code onPremUpnAttribute}, the default being {@value #AD_SAM_ACCOUNT_NAME}.
 */
public record LdapSyncSettings(String url, String bindDn, String bindPassword, String userBase, String userFilter,
                               String upnAttribute, String displayNameAttribute, String mailAttribute,
                               String departmentAttribute, String groupBase, String groupFilter, String memberAttribute,
                               Integer intervalMinutes, Boolean verifyPasswordsWithLdap, String connectorGroup,
                               String onPremUpnAttribute, String samAccountNameAttribute) {
    /** Active Directory's attribute of the on-premises user principal name, the default of {@code onPremUpnAttribute}. */
    public static final String AD_ON_PREM_UPN = "userPrincipalName";
    /** Active Directory's attribute of the SAM account name, the default of {@code samAccountNameAttribute}. */
    public static final String AD_SAM_ACCOUNT_NAME = "sAMAccountName";

    /** Settings that leave the on-premises identity attributes as stored (Active Directory's on a first save). */
    public LdapSyncSettings(String url, String bindDn, String bindPassword, String userBase, String userFilter,
                            String upnAttribute, String displayNameAttribute, String mailAttribute,
                            String departmentAttribute, String groupBase, String groupFilter, String memberAttribute,
                            Integer intervalMinutes, Boolean verifyPasswordsWithLdap, String connectorGroup) {
        this(url, bindDn, bindPassword, userBase, userFilter, upnAttribute, displayNameAttribute, mailAttribute,
                departmentAttribute, groupBase, groupFilter, memberAttribute, intervalMinutes, verifyPasswordsWithLdap, connectorGroup,
                null, null);
    }

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
                verifyPasswordsWithLdap, group, onPremUpnAttribute, samAccountNameAttribute);
    }

    /** The same settings with another bind password. */
    public LdapSyncSettings withBindPassword(String password) {
        return new LdapSyncSettings(url, bindDn, password, userBase, userFilter, upnAttribute, displayNameAttribute,
                mailAttribute, departmentAttribute, groupBase, groupFilter, memberAttribute, intervalMinutes,
                verifyPasswordsWithLdap, connectorGroup, onPremUpnAttribute, samAccountNameAttribute);
    }

    /** The same settings with these on-premises identity attributes (each: a name, empty = not synced, null = as stored). */
    public LdapSyncSettings withOnPremAttributes(String onPremUpn, String samAccountName) {
        return new LdapSyncSettings(url, bindDn, bindPassword, userBase, userFilter, upnAttribute, displayNameAttribute,
                mailAttribute, departmentAttribute, groupBase, groupFilter, memberAttribute, intervalMinutes,
                verifyPasswordsWithLdap, connectorGroup, onPremUpn, samAccountName);
    }

    /** The attribute the on-premises UPN is synced from; empty when it is not synced (null counts as the AD default). */
    public Optional<String> syncedOnPremUpnAttribute() {
        return synced(onPremUpnAttribute, AD_ON_PREM_UPN);
    }

    /** The attribute the SAM account name is synced from; empty when it is not synced (null counts as the AD default). */
    public Optional<String> syncedSamAccountNameAttribute() {
        return synced(samAccountNameAttribute, AD_SAM_ACCOUNT_NAME);
    }

    private static Optional<String> synced(String attribute, String dflt) {
        return attribute == null ? Optional.of(dflt) : attribute.isBlank() ? Optional.empty() : Optional.of(attribute.strip());
    }
}
