package dev.drawbridge.proxy.propagation;

import java.util.Arrays;
import java.util.Optional;

/**
 * What changed in the shared database, as PostgreSQL's triggers name it in their notifications
 * ({@code db/postgresql/V47__change_notifications.sql}): each topic stands for the tables whose changes a node must
 * follow. {@link NodeReloads} says what each makes a node reload.
 */
public enum Topic {
    /** {@code app}: the route table, and the WebSockets and streams held open on the apps. */
    APPS("apps"),
    /** {@code app_path_policy}: the apps' path rules. */
    PATH_RULES("path_rules"),
    /** {@code access_policy}, {@code named_location}: conditional access. */
    POLICIES("policies"),
    /**
     * {@code directory_user} (disabled, deleted, sessions revoked, UPN changed), {@code app_assignment}, {@code group_member},
     * {@code directory_group} (renamed: policies match group names): who may still hold what is open (each request reads
     * the directory itself).
     */
    DIRECTORY("directory"),
    /** {@code connector} (revoked, removed, re-issued, moved): the standing of the connectors whose tunnels a node holds. */
    CONNECTORS("connectors"),
    /** {@code connector_group}: maintenance mode. */
    MAINTENANCE("maintenance"),
    /** {@code connector_group_kerberos}: the settings sent to each group's connectors over their tunnels. */
    GROUP_CONFIGS("group_configs"),
    /** {@code tls_certificate}, {@code server_certificate}: what the public listener serves by SNI. */
    CERTIFICATES("certificates"),
    /** {@code cluster_secret}: the shared secrets; a node re-reads the signing key sets (a rotation). */
    SECRETS("secrets");

    private final String wireName;

    Topic(String wireName) {
        this.wireName = wireName;
    }

    /** The name in a notification's payload (and in the metrics' {@code topic} label). */
    public String wireName() {
        return wireName;
    }

    /** The topic a notification names; empty for one this version does not know (a newer node's). */
    public static Optional<Topic> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
