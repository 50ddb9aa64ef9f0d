package dev.drawbridge.console;

import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.Certificates;
import dev.drawbridge.adminclient.ConnectorGroups;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.NamedLocations;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Policies;
import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.GroupMaintenance;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInStats;
import dev.drawbridge.model.api.SigningKeysView;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.api.validation.KerberosRules;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.model.api.validation.SsoRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static dev.drawbridge.console.FakeAdminApi.NOW;
import static dev.drawbridge.console.FakeAdminApi.found;
import static dev.drawbridge.console.FakeAdminApi.idOf;
import static dev.drawbridge.console.FakeAdminApi.matches;
import static dev.drawbridge.console.FakeAdminApi.notFound;
import static dev.drawbridge.console.FakeAdminApi.page;

/** {@link FakeAdminApi}'s apps, access requests, connectors, certificates, policies, locations and logs. */
final class FakeResources {
    private final FakeAdminApi f;

    FakeResources(FakeAdminApi fake) {
        this.f = fake;
    }

    Apps apps() {
        return new Apps() {
            @Override
            public Page<AppView> list(Paging paging, Filter filter) throws AdminApiException {
                f.record("apps.list", paging, filter);
                return page(List.copyOf(f.apps.values()), paging, a -> FakeAdminApi.contains(filter.name(), a.name()));
            }

            @Override
            public AppView create(AppSpec app) throws AdminApiException {
                f.record("apps.create", app);
                AppView v = view(idOf(app.name()), app);
                f.apps.put(v.id(), v);
                return v;
            }

            @Override
            public AppView get(String id) throws AdminApiException {
                f.record("apps.get", id);
                return found(f.apps.get(id));
            }

            @Override
            public AppView replace(String id, AppSpec app) throws AdminApiException {
                f.record("apps.replace", id, app);
                found(f.apps.get(id));
                // As the server: the app keeps its single sign-on, which a passthrough app may not have.
                SsoSettings sso = f.sso.getOrDefault(id, SsoSettings.NONE);
                if (sso.method() != SsoMethod.NONE && app.preAuthentication() != PreAuthentication.DIRECTORY) {
                    throw AdminApiException.of(new Problem("about:blank", "Conflict", 409, "remove single sign-on first",
                            List.of(new Problem.FieldError("preAuthentication", "remove single sign-on first"))));
                }
                AppView v = withSso(view(id, app), sso.method());
                f.apps.put(id, v);
                return v;
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("apps.delete", id);
                found(f.apps.remove(id));
            }

            @Override
            public AppTestResult test(String id) throws AdminApiException {
                f.record("apps.test", id);
                return found(f.testResults.get(id));
            }

            @Override
            public List<AssignmentView> assignments(String id) throws AdminApiException {
                f.record("apps.assignments", id);
                return List.copyOf(f.assignments.getOrDefault(id, List.of()));
            }

            @Override
            public List<AssignmentView> assign(String id, AssignmentBody assignment) throws AdminApiException {
                f.record("apps.assign", id, assignment);
                AssignmentView v = new AssignmentView(id, assignment.principalType(), assignment.principal(), assignment.principal(), NOW);
                f.assignments.computeIfAbsent(id, k -> new ArrayList<>()).add(v);
                return List.copyOf(f.assignments.get(id));
            }

            @Override
            public void unassign(String id, String principalType, String principalId) throws AdminApiException {
                f.record("apps.unassign", id, principalType, principalId);
                if (!f.assignments.getOrDefault(id, new ArrayList<>())
                        .removeIf(a -> a.principalType().equals(principalType) && a.principalId().equals(principalId))) {
                    throw notFound();
                }
            }

            @Override
            public List<UserView> owners(String id) throws AdminApiException {
                f.record("apps.owners", id);
                return List.copyOf(f.owners.getOrDefault(id, List.of()));
            }

            @Override
            public List<UserView> addOwner(String id, MemberBody owner) throws AdminApiException {
                f.record("apps.addOwner", id, owner);
                UserView u = f.users.values().stream().filter(x -> x.upn().equals(owner.user()) || x.id().equals(owner.user()))
                        .findFirst().orElseThrow(FakeAdminApi::notFound);
                f.owners.computeIfAbsent(id, k -> new ArrayList<>()).add(u);
                return List.copyOf(f.owners.get(id));
            }

            @Override
            public void removeOwner(String id, String userId) throws AdminApiException {
                f.record("apps.removeOwner", id, userId);
                if (!f.owners.getOrDefault(id, new ArrayList<>()).removeIf(u -> u.id().equals(userId))) {
                    throw notFound();
                }
            }

            @Override
            public PathPolicies paths(String id) throws AdminApiException {
                f.record("apps.paths", id);
                found(f.apps.get(id));
                return f.paths.getOrDefault(id, new PathPolicies(List.of()));
            }

            /** As the server, for what the console can get wrong: a path must start with '/'. */
            @Override
            public PathPolicies setPaths(String id, PathPolicies paths) throws AdminApiException {
                f.record("apps.setPaths", id, paths);
                found(f.apps.get(id));
                List<Problem.FieldError> errors = new ArrayList<>();
                for (int i = 0; i < paths.paths().size(); i++) {
                    String p = paths.paths().get(i).path();
                    if (p == null || !p.startsWith("/")) {
                        errors.add(new Problem.FieldError("paths[" + i + "].path", "the path must start with '/'"));
                    }
                }
                if (!errors.isEmpty()) {
                    throw AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid", errors));
                }
                f.paths.put(id, paths);
                return paths;
            }

            @Override
            public SsoSettings sso(String id) throws AdminApiException {
                f.record("apps.sso", id);
                found(f.apps.get(id));
                return f.sso.getOrDefault(id, SsoSettings.NONE);
            }

            /** As the server: the rules (400 naming each field), then pre-authentication (409 naming method). */
            @Override
            public SsoSettings setSso(String id, SsoSettings settings) throws AdminApiException {
                f.record("apps.setSso", id, settings);
                AppView a = found(f.apps.get(id));
                List<Problem.FieldError> errors = new ArrayList<>(SsoRules.check(settings));
                if (errors.isEmpty()) {
                    errors.addAll(FakeSpMetadata.appProblems(a, settings));
                }
                if (!errors.isEmpty()) {
                    throw AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid", errors));
                }
                if (settings.method() != SsoMethod.NONE && a.preAuthentication() != PreAuthentication.DIRECTORY) {
                    throw AdminApiException.of(new Problem("about:blank", "Conflict", 409, "needs pre-authentication",
                            List.of(new Problem.FieldError("method", "single sign-on needs pre-authentication"))));
                }
                f.sso.put(id, settings);
                f.apps.put(id, withSso(a, settings.method()));
                return settings;
            }

            @Override
            public Icon icon(String id) throws AdminApiException {
                f.record("apps.icon", id);
                return found(f.icons.get(id));
            }

            @Override
            public AppIconView setIcon(String id, Icon icon) throws AdminApiException {
                f.record("apps.setIcon", id, icon);
                f.icons.put(id, icon);
                return new AppIconView(icon.mediaType(), icon.bytes().length, "sha");
            }

            @Override
            public void removeIcon(String id) throws AdminApiException {
                f.record("apps.removeIcon", id);
                found(f.icons.remove(id));
            }

            @Override
            public void setSharedCredential(String id, SharedCredential credential) throws AdminApiException {
                f.record("apps.setSharedCredential", id, credential);
                found(f.apps.get(id));
                f.sharedCredentials.put(id, credential);
            }

            @Override
            public void removeSharedCredential(String id) throws AdminApiException {
                f.record("apps.removeSharedCredential", id);
                found(f.sharedCredentials.remove(id));
            }

            @Override
            public SamlMetadata samlIdpMetadata(String id) throws AdminApiException {
                f.record("apps.samlIdpMetadata", id);
                found(f.apps.get(id));
                return new SamlMetadata("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"https://login.localhost/saml/"
                        + id + "\"/>");
            }

            @Override
            public SamlSso readSpMetadata(String id, SamlMetadata spMetadata) throws AdminApiException {
                f.record("apps.readSpMetadata", id, spMetadata);
                return FakeSpMetadata.read(found(f.apps.get(id)), spMetadata.xml());
            }

            @Override
            public SsoPreview previewSso(String id, SsoPreviewRequest request) throws AdminApiException {
                f.record("apps.previewSso", id, request);
                return new FakeSsoPreview(f).preview(id, request);
            }
        };
    }

    private static AppView withSso(AppView a, SsoMethod m) {
        return new AppView(a.id(), a.name(), a.externalUrl(), a.internalUrl(), a.connectorGroupId(), a.connectorGroupName(),
                a.backendTimeout(), a.translateHostHeader(), a.preAuthentication(), a.access(), a.createdAt(), a.updatedAt(),
                a.caseInsensitivePaths(), m, a.translateLinksInBody(), a.translateLinksInScripts());
    }

    private AppView view(String id, AppSpec s) {
        ConnectorGroupView g = f.connectorGroups.values().stream().filter(x -> x.name().equals(s.connectorGroup())).findFirst()
                .orElse(new ConnectorGroupView("g1", s.connectorGroup() == null ? "Default" : s.connectorGroup(), NOW, 0, 0));
        return new AppView(id, s.name(), s.externalUrl(), s.internalUrl(), g.id(), g.name(),
                Objects.requireNonNullElse(s.backendTimeout(), BackendTimeout.DEFAULT), Boolean.TRUE.equals(s.translateHostHeader()),
                s.preAuthentication(), s.access(), NOW, NOW, Boolean.TRUE.equals(s.caseInsensitivePaths()), SsoMethod.NONE,
                Boolean.TRUE.equals(s.translateLinksInBody()), Boolean.TRUE.equals(s.translateLinksInScripts()));
    }

    AccessRequests accessRequests() {
        return new AccessRequests() {
            @Override
            public List<AccessRequestView> list(Filter filter) throws AdminApiException {
                f.record("accessRequests.list", filter);
                return f.accessRequests.stream().filter(r -> matches(filter.status(), r.status())).toList();
            }

            @Override
            public AccessRequestView approve(String id) throws AdminApiException {
                f.record("accessRequests.approve", id);
                return decide(id, AccessRequestStatus.APPROVED);
            }

            @Override
            public AccessRequestView deny(String id) throws AdminApiException {
                f.record("accessRequests.deny", id);
                return decide(id, AccessRequestStatus.DENIED);
            }

            private AccessRequestView decide(String id, AccessRequestStatus status) throws AdminApiException {
                AccessRequestView r = found(f.accessRequests.stream().filter(x -> x.id().equals(id)).findFirst().orElse(null));
                AccessRequestView d = new AccessRequestView(r.id(), r.appId(), r.appName(), r.userId(), r.upn(), r.reason(), status,
                        r.createdAt(), NOW, "admin");
                f.accessRequests.set(f.accessRequests.indexOf(r), d);
                return d;
            }
        };
    }

    ConnectorGroups connectorGroups() {
        return new ConnectorGroups() {
            @Override
            public KerberosGroupView kerberos(String id) throws AdminApiException {
                f.record("connectorGroups.kerberos", id);
                found(f.connectorGroups.get(id));
                return found(f.kerberos.get(id));
            }

            /** As the server: the rules (400 naming each field); the keytab taken to hold the principal's key. */
            @Override
            public KerberosGroupView setKerberos(String id, KerberosGroupSettings settings) throws AdminApiException {
                f.record("connectorGroups.setKerberos", id, settings);
                found(f.connectorGroups.get(id));
                List<Problem.FieldError> errors = KerberosRules.check(settings);
                if (!errors.isEmpty()) {
                    throw AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid", errors));
                }
                String principal = KerberosRules.withRealm(settings.servicePrincipal(), settings.realm());
                KerberosGroupView v = new KerberosGroupView(settings.realm(), settings.kdcs(), principal, List.of(principal), NOW);
                f.kerberos.put(id, v);
                return v;
            }

            @Override
            public void removeKerberos(String id) throws AdminApiException {
                f.record("connectorGroups.removeKerberos", id);
                found(f.kerberos.remove(id));
            }

            /** As the server: the message checked (400 naming it); a group already in maintenance keeps its start. */
            @Override
            public ConnectorGroupView startMaintenance(String id, MaintenanceBody body) throws AdminApiException {
                f.record("connectorGroups.startMaintenance", id, body);
                ConnectorGroupView g = found(f.connectorGroups.get(id));
                Optional<Problem.FieldError> bad = Names.maintenanceMessage("message", body.message());
                if (bad.isPresent()) {
                    throw AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid", List.of(bad.get())));
                }
                ConnectorGroupView after = new ConnectorGroupView(g.id(), g.name(), g.createdAt(), g.connectors(), g.activeConnectors(),
                        new GroupMaintenance(g.maintenance() == null ? NOW : g.maintenance().since(), body.message()));
                f.connectorGroups.put(id, after);
                return after;
            }

            @Override
            public RolloutView rollout(String id) throws AdminApiException {
                f.record("connectorGroups.rollout", id);
                return f.updatesFake.rollout(id);
            }

            @Override
            public RolloutView setRollout(String id, RolloutSettings settings) throws AdminApiException {
                f.record("connectorGroups.setRollout", id, settings);
                return f.updatesFake.setRollout(id, settings);
            }

            @Override
            public ConnectorGroupView endMaintenance(String id) throws AdminApiException {
                f.record("connectorGroups.endMaintenance", id);
                ConnectorGroupView g = found(f.connectorGroups.get(id));
                ConnectorGroupView after = new ConnectorGroupView(g.id(), g.name(), g.createdAt(), g.connectors(), g.activeConnectors());
                f.connectorGroups.put(id, after);
                return after;
            }

            @Override
            public Page<ConnectorGroupView> list(Paging paging) throws AdminApiException {
                f.record("connectorGroups.list", paging);
                return page(List.copyOf(f.connectorGroups.values()), paging, g -> true);
            }

            @Override
            public ConnectorGroupView create(NameBody group) throws AdminApiException {
                f.record("connectorGroups.create", group);
                ConnectorGroupView g = new ConnectorGroupView(idOf(group.name()), group.name(), NOW, 0, 0);
                f.connectorGroups.put(g.id(), g);
                return g;
            }

            @Override
            public ConnectorGroupView get(String id) throws AdminApiException {
                f.record("connectorGroups.get", id);
                return found(f.connectorGroups.get(id));
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("connectorGroups.delete", id);
                found(f.connectorGroups.remove(id));
            }
        };
    }

    Connectors connectors() {
        return new Connectors() {
            @Override
            public Page<ConnectorView> list(Paging paging, Filter filter) throws AdminApiException {
                f.record("connectors.list", paging, filter);
                return page(List.copyOf(f.connectors.values()), paging,
                        c -> matches(filter.groupId(), c.groupId()) && matches(filter.status(), c.status()));
            }

            @Override
            public ConnectorView get(String id) throws AdminApiException {
                f.record("connectors.get", id);
                return found(f.connectors.get(id));
            }

            @Override
            public ConnectorView revoke(String id) throws AdminApiException {
                f.record("connectors.revoke", id);
                ConnectorView c = found(f.connectors.get(id));
                ConnectorView r = new ConnectorView(c.id(), c.groupId(), c.groupName(), c.hostName(), c.version(),
                        ConnectorStatus.REVOKED, 0, c.registeredAt(), c.lastSeenAt(), c.certificateNotAfter(), c.updateState(), c.updateError());
                f.connectors.put(id, r);
                return r;
            }

            @Override
            public ConnectorView move(String id, NameBody target) throws AdminApiException {
                f.record("connectors.move", id, target);
                ConnectorView c = found(f.connectors.get(id));
                ConnectorGroupView g = found(f.connectorGroups.get(target.groupId() != null ? target.groupId() : target.connectorGroup()));
                ConnectorView m = new ConnectorView(c.id(), g.id(), g.name(), c.hostName(), c.version(), c.status(), c.tunnels(),
                        c.registeredAt(), c.lastSeenAt(), c.certificateNotAfter(), c.updateState(), c.updateError());
                f.connectors.put(id, m);
                return m;
            }

            @Override
            public Page<ConnectorEvent> events(Paging paging, EventFilter filter) throws AdminApiException {
                f.record("connectors.events", paging, filter);
                return page(f.connectorEvents, paging, e -> matches(filter.connectorId(), e.connectorId()) && matches(filter.type(), e.type()));
            }

            @Override
            public RegistrationTokenView createRegistrationToken(RegistrationTokenRequest request) throws AdminApiException {
                f.record("connectors.createRegistrationToken", request);
                return new RegistrationTokenView("t1", "dbreg_x", request.connectorGroup(), NOW.plusSeconds(3600), "ab",
                        "drawbridge-connector register --server https://admin.example --ca-sha256 ab --token -");
            }
        };
    }

    Certificates certificates() {
        return new Certificates() {
            @Override
            public List<CertificateView> list() throws AdminApiException {
                f.record("certificates.list");
                return List.copyOf(f.certificates.values());
            }

            @Override
            public CertificateView upload(CertificateUpload upload) throws AdminApiException {
                f.record("certificates.upload", upload);
                CertificateView c = found(f.uploaded);
                f.certificates.put(c.id(), c);
                return c;
            }

            @Override
            public CertificateView get(String id) throws AdminApiException {
                f.record("certificates.get", id);
                return found(f.certificates.get(id));
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("certificates.delete", id);
                found(f.certificates.remove(id));
            }

            @Override
            public CertificateView serverCertificate() throws AdminApiException {
                f.record("certificates.serverCertificate");
                return found(f.serverCertificate);
            }

            @Override
            public CertificateView setServerCertificate(CertificateUpload upload) throws AdminApiException {
                f.record("certificates.setServerCertificate", upload);
                f.serverCertificate = found(f.uploaded);
                return f.serverCertificate;
            }

            @Override
            public void removeServerCertificate() throws AdminApiException {
                f.record("certificates.removeServerCertificate");
                found(f.serverCertificate);
                f.serverCertificate = null;
            }

            @Override
            public SigningKeysView signingKeys() throws AdminApiException {
                f.record("certificates.signingKeys");
                return new SigningKeysView(0, List.of());
            }

            @Override
            public SigningKeysView rotateSigningKeys() throws AdminApiException {
                f.record("certificates.rotateSigningKeys");
                return new SigningKeysView(1, List.of());
            }

            @Override
            public SigningKeysView retireSigningKey(String kid) throws AdminApiException {
                f.record("certificates.retireSigningKey " + kid);
                return new SigningKeysView(1, List.of());
            }
        };
    }

    Policies policies() {
        return new Policies() {
            @Override
            public List<AccessPolicy> list() throws AdminApiException {
                f.record("policies.list");
                return List.copyOf(f.policies.values());
            }

            @Override
            public AccessPolicy create(AccessPolicy policy) throws AdminApiException {
                f.record("policies.create", policy);
                f.policies.put(policy.id() == null ? idOf(policy.name()) : policy.id(), policy);
                return policy;
            }

            @Override
            public AccessPolicy get(String id) throws AdminApiException {
                f.record("policies.get", id);
                return found(f.policies.get(id));
            }

            @Override
            public AccessPolicy replace(String id, AccessPolicy policy) throws AdminApiException {
                f.record("policies.replace", id, policy);
                found(f.policies.get(id));
                f.policies.put(id, policy);
                return policy;
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("policies.delete", id);
                found(f.policies.remove(id));
            }
        };
    }

    NamedLocations namedLocations() {
        return new NamedLocations() {
            @Override
            public List<NamedLocation> list() throws AdminApiException {
                f.record("namedLocations.list");
                return List.copyOf(f.locations.values());
            }

            @Override
            public NamedLocation create(NamedLocation location) throws AdminApiException {
                f.record("namedLocations.create", location);
                NamedLocation l = new NamedLocation(idOf(location.name()), location.name(), location.trusted(), location.cidrs());
                f.locations.put(l.id(), l);
                return l;
            }

            @Override
            public NamedLocation get(String id) throws AdminApiException {
                f.record("namedLocations.get", id);
                return found(f.locations.get(id));
            }

            @Override
            public NamedLocation replace(String id, NamedLocation location) throws AdminApiException {
                f.record("namedLocations.replace", id, location);
                found(f.locations.get(id));
                f.locations.put(id, location);
                return location;
            }

            @Override
            public void delete(String id) throws AdminApiException {
                f.record("namedLocations.delete", id);
                found(f.locations.remove(id));
            }
        };
    }

    Logs logs() {
        return new Logs() {
            @Override
            public Page<SignInLogEntry> signIns(Paging paging, SignInFilter q) throws AdminApiException {
                f.record("logs.signIns", paging, q);
                return page(f.signIns, paging, e -> matches(q.upn(), e.upn()) && matches(q.app(), e.appId())
                        && matches(q.result(), e.result()) && matches(q.event(), e.event())
                        && (q.from() == null || !e.at().isBefore(q.from())) && (q.to() == null || e.at().isBefore(q.to())));
            }

            @Override
            public Page<AuditLogEntry> audit(Paging paging, AuditFilter q) throws AdminApiException {
                f.record("logs.audit", paging, q);
                return page(f.audit, paging, e -> matches(q.actor(), e.actor()) && matches(q.action(), e.action())
                        && matches(q.targetType(), e.targetType()) && matches(q.targetId(), e.targetId()));
            }

            @Override
            public SignInStats signInStats(StatsWindow window) throws AdminApiException {
                f.record("logs.signInStats", window);
                return found(f.stats);
            }
        };
    }
}
