package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.Problem.FieldError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attribute names of directory sync, every one of them: LDAP attribute names (RFC 4512 descr or numeric OID) pass,
 * anything a search would read differently (a filter fragment, {@code *}, {@code +}, the "no attributes" {@code 1.1},
 * options, white space, a name too long) is refused naming its field; blank takes the default, and for the on-premises identity means "not synced".
 */
class DirectorySyncRulesTest {
    static final List<String> FIELDS = List.of("upnAttribute", "displayNameAttribute", "mailAttribute", "departmentAttribute",
            "memberAttribute", "onPremUpnAttribute", "samAccountNameAttribute");

    /** Settings that are fine but for {@code name} in the attribute field {@code field}. */
    static LdapSyncSettings with(String field, String name) {
        String[] a = new String[FIELDS.size()];
        a[FIELDS.indexOf(field)] = name;
        return new LdapSyncSettings("ldaps://dc1.corp.example", null, null, "ou=people,dc=corp,dc=example", null, a[0], a[1], a[2], a[3],
                null, null, a[4], 0, true, null, a[5], a[6]);
    }

    @Test
    void ldapAttributeNamesPassInEveryField() {
        for (String field : FIELDS) {
            for (String ok : List.of("userPrincipalName", "sAMAccountName", "krbCanonicalName", "uid", "x-ms-ds-attr2",
                    "1.2.840.113556.1.4.656", "2.5.4.3", "", "  ", "a".repeat(100))) {
                assertThat(DirectorySyncRules.check(with(field, ok))).as(field + " [" + ok + "]").isEmpty();
            }
            assertThat(DirectorySyncRules.check(with(field, null))).as(field + " null").isEmpty();
        }
    }

    @Test
    void anythingElseIsRefusedNamingItsField() {
        for (String field : FIELDS) {
            for (String bad : List.of("*", "+", "1.1", "cn)(objectClass=*", "(cn=*)", "mail;binary", "user principal name",
                    "-mail", "1mail", "1.", ".1.2", "1.02.3", " mail", "mail ", "mail\n", "mäil", "mail,cn", "a".repeat(101))) {
                List<FieldError> errors = DirectorySyncRules.check(with(field, bad));
                assertThat(errors).as(field + " [" + bad + "]").singleElement().satisfies(e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.message()).contains("not an LDAP attribute name");
                });
            }
        }
    }

    @Test
    void absentOnPremisesAttributesAreActiveDirectorysAndBlankOnesAreNotSynced() {
        LdapSyncSettings absent = with("upnAttribute", null);
        assertThat(absent.syncedOnPremUpnAttribute()).contains("userPrincipalName");
        assertThat(absent.syncedSamAccountNameAttribute()).contains("sAMAccountName");
        LdapSyncSettings blank = absent.withOnPremAttributes("", " ");
        assertThat(blank.syncedOnPremUpnAttribute()).isEmpty();
        assertThat(blank.syncedSamAccountNameAttribute()).isEmpty();
        LdapSyncSettings named = absent.withOnPremAttributes(" krbCanonicalName ", "uid");
        assertThat(named.syncedOnPremUpnAttribute()).contains("krbCanonicalName");
        assertThat(named.syncedSamAccountNameAttribute()).contains("uid");
        assertThat(named.withBindPassword("x").withConnectorGroup("g").samAccountNameAttribute()).as("copies keep them").isEqualTo("uid");
    }
}
