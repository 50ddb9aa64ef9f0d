package dev.drawbridge.console.apps;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.UserView;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Owners of the selected app ({@code /apps/{id}/owners}): users who decide its access requests on the sign-in
 * host. Added by UPN (or id), removed one at a time.
 */
public final class AppOwners {
    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<UserView> owners = new Listing<>(UserView::id);
    private final StringProperty candidate = new SimpleStringProperty("");
    private String appId;

    AppOwners(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
    }

    public Listing<UserView> owners() {
        return owners;
    }

    /** The UPN (or id) typed to add as owner. */
    public StringProperty candidateProperty() {
        return candidate;
    }

    void load(String id) {
        appId = id;
        owners.items().clear();
        if (id != null) {
            owners.load(tasks, notices, "app owners", () -> api.apps().owners(id));
        }
    }

    /** Adds the typed user as owner; the list comes back from the server. */
    public void add() {
        String id = appId, who = candidate.get() == null ? "" : candidate.get().strip();
        if (id == null || who.isEmpty()) {
            return;
        }
        tasks.run("add " + who + " as owner", () -> {
            api.apps().addOwner(id, new MemberBody(who));
            return api.apps().owners(id);
        }, list -> {
            candidate.set("");
            if (id.equals(appId)) {
                owners.replace(list);
            }
            notices.info("Owner added", who + " decides access requests of this app");
        });
    }

    public void remove() {
        String id = appId;
        UserView u = owners.selected();
        if (id == null || u == null) {
            return;
        }
        tasks.run("remove " + u.upn() + " as owner", () -> {
            api.apps().removeOwner(id, u.id());
            return u;
        }, gone -> {
            owners.items().remove(gone);
            notices.info("Owner removed", gone.upn());
        });
    }
}
