package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/** {@code POST /directory-sync/run}: what one LDAP / Active Directory sync did. */
public record DirectorySyncResult(Instant at, int usersCreated, int usersUpdated, int usersDisabled, int groupsCreated,
                                  int groupsUpdated, List<String> problems) {
    public DirectorySyncResult {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** E.g. "2 users created, 0 updated, 0 disabled; 1 group created, 0 updated". */
    public String summary() {
        return usersCreated + (usersCreated == 1 ? " user" : " users") + " created, " + usersUpdated + " updated, "
                + usersDisabled + " disabled; " + groupsCreated + (groupsCreated == 1 ? " group" : " groups") + " created, "
                + groupsUpdated + " updated" + (problems.isEmpty() ? "" : "; " + problems.size()
                + (problems.size() == 1 ? " problem: " : " problems: ") + String.join("; ", problems));
    }
}
