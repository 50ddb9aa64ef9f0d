package dev.drawbridge.console;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.DirectorySync;
import dev.drawbridge.adminclient.Groups;
import dev.drawbridge.adminclient.IdentityProviders;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;

import java.util.ArrayList;
import java.util.List;

import static dev.drawbridge.console.FakeAdminApi.NOW;
import static dev.drawbridge.console.FakeAdminApi.contains;
import static dev.drawbridge.console.FakeAdminApi.found;
import static dev.drawbridge.console.FakeAdminApi.idOf;
import static dev.drawbridge.console.FakeAdminApi.page;

/** {@link FakeAdminApi}'s users, groups, directory sync and identity provider. */
final class FakeDirectory {
    private final FakeAdminApi f;

    FakeDirectory(FakeAdminApi fake) {
        this.f = fake;
    }

    Users users() {
        return new Users() {
            @Override
            public Page<UserView> list(Paging paging, Search search) throws AdminApiException {
                f.record("users.list", paging, search);
                return page(List.copyOf(f.users.values()), paging, u -> contains(search.search(), u.upn(), u.displayName(), u.email()));
            }

            @Override
            public UserView create(UserSpec user) throws AdminApiException {
                f.record("users.create", user);
                UserView u = new UserView(idOf(user.upn()), user.upn(), user.displayName(), user.email(), user.department(), true,
                        user.password() != null, false, null, List.of(), NOW);
                f.users.put(u.id(), u);
                return u;
            }

            @Override
            public UserView get(String id) throws AdminApiException {
                f.record("users.get", id);
                return found(f.users.get(id));
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("users.delete", id);
                found(f.users.remove(id));
            }

            @Override
            public UserView resetPassword(String id, PasswordBody password) throws AdminApiException {
                f.record("users.resetPassword", id, password);
                return found(f.users.get(id));
            }

            @Override
            public UserView resetMfa(String id) throws AdminApiException {
                f.record("users.resetMfa", id);
                return found(f.users.get(id));
            }

            @Override
            public UserView revokeSessions(String id) throws AdminApiException {
                f.record("users.revokeSessions", id);
                return found(f.users.get(id));
            }

            @Override
            public UserView disable(String id) throws AdminApiException {
                f.record("users.disable", id);
                return enabled(id, false);
            }

            @Override
            public UserView enable(String id) throws AdminApiException {
                f.record("users.enable", id);
                return enabled(id, true);
            }

            private UserView enabled(String id, boolean on) throws AdminApiException {
                UserView u = found(f.users.get(id));
                UserView changed = new UserView(u.id(), u.upn(), u.displayName(), u.email(), u.department(), on, u.hasPassword(),
                        u.mfaEnrolled(), u.lockedUntil(), u.groups(), u.createdAt(), u.onPremUpn(), u.samAccountName());
                f.users.put(id, changed);
                return changed;
            }

            @Override
            public RolesBody roles(String id) throws AdminApiException {
                f.record("users.roles", id);
                found(f.users.get(id));
                return new RolesBody(f.roles.getOrDefault(id, List.of()));
            }

            @Override
            public RolesBody setRoles(String id, RolesBody roles) throws AdminApiException {
                f.record("users.setRoles", id, roles);
                found(f.users.get(id));
                f.roles.put(id, roles.roles());
                return roles;
            }
        };
    }

    Groups groups() {
        return new Groups() {
            @Override
            public Page<GroupView> list(Paging paging, Users.Search search) throws AdminApiException {
                f.record("groups.list", paging, search);
                return page(List.copyOf(f.groups.values()), paging, g -> contains(search.search(), g.name(), g.description()));
            }

            @Override
            public GroupView create(GroupBody group) throws AdminApiException {
                f.record("groups.create", group);
                GroupView g = new GroupView(idOf(group.name()), group.name(), group.description(), group.membershipRule(), 0, NOW);
                f.groups.put(g.id(), g);
                return g;
            }

            @Override
            public GroupView get(String id) throws AdminApiException {
                f.record("groups.get", id);
                return found(f.groups.get(id));
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("groups.delete", id);
                found(f.groups.remove(id));
            }

            @Override
            public List<UserView> members(String id) throws AdminApiException {
                f.record("groups.members", id);
                found(f.groups.get(id));
                return List.copyOf(f.members.getOrDefault(id, List.of()));
            }

            @Override
            public List<UserView> addMember(String id, MemberBody member) throws AdminApiException {
                f.record("groups.addMember", id, member);
                found(f.groups.get(id));
                UserView u = f.users.values().stream().filter(x -> x.upn().equals(member.user()) || x.id().equals(member.user()))
                        .findFirst().orElseThrow(FakeAdminApi::notFound);
                f.members.computeIfAbsent(id, k -> new ArrayList<>()).add(u);
                return List.copyOf(f.members.get(id));
            }

            @Override
            public void removeMember(String id, String userId) throws AdminApiException {
                f.record("groups.removeMember", id, userId);
                if (!f.members.getOrDefault(id, new ArrayList<>()).removeIf(u -> u.id().equals(userId))) {
                    throw FakeAdminApi.notFound();
                }
            }
        };
    }

    DirectorySync directorySync() {
        return new DirectorySync() {
            @Override
            public LdapSyncSettings settings() throws AdminApiException {
                f.record("directorySync.settings");
                return found(f.directorySync);
            }

            @Override
            public LdapSyncSettings configure(LdapSyncSettings settings) throws AdminApiException {
                f.record("directorySync.configure", settings);
                // The server keeps the password it had when none is sent, and never answers it.
                boolean stored = settings.bindPassword() != null || f.directorySync != null && f.directorySync.bindPassword() != null;
                LdapSyncSettings s = settings;
                f.directorySync = new LdapSyncSettings(s.url(), s.bindDn(), stored ? "********" : null, s.userBase(), s.userFilter(),
                        s.upnAttribute(), s.displayNameAttribute(), s.mailAttribute(), s.departmentAttribute(), s.groupBase(),
                        s.groupFilter(), s.memberAttribute(), s.intervalMinutes(), s.verifyPasswordsWithLdap(), s.connectorGroup(),
                        s.onPremUpnAttribute(), s.samAccountNameAttribute());
                return f.directorySync;
            }

            @Override
            public DirectorySyncResult run() throws AdminApiException {
                f.record("directorySync.run");
                return found(f.syncResult);
            }
        };
    }

    IdentityProviders identityProviders() {
        return new IdentityProviders() {
            @Override
            public OidcProviderSettings oidc() throws AdminApiException {
                f.record("identityProviders.oidc");
                return found(f.oidc);
            }

            @Override
            public OidcProviderSettings configureOidc(OidcProviderSettings settings) throws AdminApiException {
                f.record("identityProviders.configureOidc", settings);
                // The server keeps the secret it had when none is sent, never answers it, and says where to redirect.
                OidcProviderSettings s = settings;
                f.oidc = new OidcProviderSettings(s.issuer(), s.clientId(), "********", s.displayName(), s.scopes(), s.usernameClaim(),
                        s.groupsClaim(), s.jitProvisioning(), "https://signin.apps.example.com/federation/callback", s.linkByVerifiedEmail());
                return f.oidc;
            }

            @Override
            public void removeOidc() throws AdminApiException {
                f.record("identityProviders.removeOidc");
                found(f.oidc);
                f.oidc = null;
            }

            @Override
            public ProviderGroupView createOidcGroup(ProviderGroupBody group) throws AdminApiException {
                f.record("identityProviders.createOidcGroup", group);
                return new ProviderGroupView(idOf(group.name()), group.name(), group.claim());
            }

            @Override
            public List<OidcProviderSettings> list() throws AdminApiException {
                f.record("identityProviders.list");
                List<OidcProviderSettings> all = new ArrayList<>(f.providers.values());
                if (f.oidc != null) {
                    OidcProviderSettings o = f.oidc;
                    all.addFirst(new OidcProviderSettings(o.issuer(), o.clientId(), o.clientSecret(), o.displayName(), o.scopes(),
                            o.usernameClaim(), o.groupsClaim(), o.jitProvisioning(), o.redirectUri(), o.linkByVerifiedEmail(), "oidc",
                            o.emailDomains()));
                }
                return all;
            }

            @Override
            public OidcProviderSettings create(OidcProviderSettings settings) throws AdminApiException {
                f.record("identityProviders.create", settings);
                if (f.providers.containsKey(settings.id())) {
                    throw AdminApiException.of(new Problem("about:blank", "Conflict", 409, "an identity provider with id '" + settings.id() + "' exists",
                            List.of(new Problem.FieldError("id", "taken"))));
                }
                return replace(settings.id(), settings);
            }

            @Override
            public OidcProviderSettings get(String id) throws AdminApiException {
                f.record("identityProviders.get", id);
                return id.equals("oidc") ? found(f.oidc) : found(f.providers.get(id));
            }

            @Override
            public OidcProviderSettings replace(String id, OidcProviderSettings s) throws AdminApiException {
                f.record("identityProviders.replace", id, s);
                OidcProviderSettings saved = new OidcProviderSettings(s.issuer(), s.clientId(), "********", s.displayName(), s.scopes(),
                        s.usernameClaim(), s.groupsClaim(), s.jitProvisioning(), "https://signin.apps.example.com/federation/callback",
                        s.linkByVerifiedEmail(), id, s.emailDomains());
                if (id.equals("oidc")) {
                    f.oidc = saved;
                } else {
                    f.providers.put(id, saved);
                }
                return saved;
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("identityProviders.delete", id);
                if (id.equals("oidc")) {
                    removeOidc();
                } else {
                    found(f.providers.remove(id));
                }
            }

            @Override
            public ProviderGroupView createGroup(String id, ProviderGroupBody group) throws AdminApiException {
                f.record("identityProviders.createGroup", id, group);
                return new ProviderGroupView(idOf(group.name()), group.name(), group.claim());
            }
        };
    }
}
