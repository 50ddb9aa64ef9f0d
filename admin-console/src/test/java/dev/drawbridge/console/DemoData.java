package dev.drawbridge.console;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.MutableClock;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Realistic data for the console tests and screenshots, made through the admin API and real sign-ins: users,
 * groups, apps, a second connector group, named locations, policies, and sign-ins that succeed, fail and are denied.
 */
final class DemoData {
    private DemoData() {
    }

    /** Fills the stack; sign-ins are spread over the last day by moving the server's clock back and forth. */
    static void fill(DrawbridgeStack stack, SampleApp sample, MutableClock clock) throws Exception {
        String internal = sample.baseUri().toString();
        AdminApi api = stack.adminApi();
        api.connectorGroups().create(NameBody.named("Branch office"));
        String[][] users = {
                {"alice.martin@corp.example", "Alice Martin", "Finance"},
                {"bob.keller@corp.example", "Bob Keller", "Engineering"},
                {"carol.nguyen@corp.example", "Carol Nguyen", "Finance"},
                {"dave.schmidt@corp.example", "Dave Schmidt", "Engineering"},
                {"erin.lopez@corp.example", "Erin Lopez", "Human resources"},
                {"rita.reader@corp.example", "Rita Reader", "Security"}};
        for (String[] u : users) {
            api.users().create(new UserSpec(u[0], u[1], u[0], u[2], ConsoleSystemTest.PASSWORD));
        }
        Map<String, List<String>> groups = Map.of(
                "Finance", List.of("alice.martin@corp.example", "carol.nguyen@corp.example"),
                "Engineering", List.of("bob.keller@corp.example", "dave.schmidt@corp.example"),
                "HR staff", List.of("erin.lopez@corp.example"));
        for (var g : groups.entrySet()) {
            String id = api.groups().create(new GroupBody(g.getKey(), g.getKey() + " department", null)).id();
            for (String m : g.getValue()) {
                api.groups().addMember(id, new MemberBody(m));
            }
        }
        AccessSettings assigned = new AccessSettings(true, true, true, false);
        String payroll = api.apps().create(new AppSpec("Payroll", stack.externalUrl("payroll"), internal, null,
                null, null, PreAuthentication.DIRECTORY, assigned)).id();
        String hr = api.apps().create(new AppSpec("HR portal", stack.externalUrl("hr"), internal, null,
                null, null, PreAuthentication.DIRECTORY, assigned)).id();
        api.apps().create(new AppSpec("Intranet", stack.externalUrl("intranet"), internal, null,
                null, null, PreAuthentication.PASSTHROUGH, null));
        api.apps().create(new AppSpec("Grafana", stack.externalUrl("grafana"), internal, null,
                BackendTimeout.LONG, false, PreAuthentication.PASSTHROUGH, null));
        api.apps().assign(payroll, new AssignmentBody("USER", "alice.martin@corp.example"));
        api.apps().assign(hr, new AssignmentBody("GROUP", "HR staff"));

        String office = api.namedLocations().create(new NamedLocation(null, "Head office", true,
                List.of("203.0.113.0/24", "2001:db8:10::/48"))).id();
        api.namedLocations().create(new NamedLocation(null, "VPN egress", true, List.of("198.51.100.16/28")));
        api.namedLocations().create(new NamedLocation(null, "Embargoed networks", false, List.of("192.0.2.0/24")));
        api.policies().create(new AccessPolicy(null, "Require MFA outside the office", AccessPolicy.State.REPORT_ONLY,
                List.of(), List.of("ALL"), List.of(), List.of(), List.of("TRUSTED"), List.of(), null, AccessPolicy.Control.REQUIRE_MFA));
        api.policies().create(new AccessPolicy(null, "Payroll only from the office", AccessPolicy.State.OFF,
                List.of(payroll), List.of("Finance"), List.of(), List.of("UNTRUSTED"), List.of(), List.of(), null,
                AccessPolicy.Control.BLOCK));
        api.policies().create(new AccessPolicy(null, "Block native clients", AccessPolicy.State.ON,
                List.of(hr), List.of("ALL"), List.of(), List.of(), List.of(office), List.of(AccessPolicy.ClientType.NATIVE), null,
                AccessPolicy.Control.BLOCK));

        uploadCertificate(stack, "intranet.corp-example.com", Duration.ofDays(20));
        uploadCertificate(stack, "payroll.corp-example.com", Duration.ofDays(300));

        String payrollUrl = stack.externalUrl("payroll"), hrUrl = stack.externalUrl("hr");
        Duration back = Duration.ofHours(20);
        clock.advance(back.negated());
        try {
            for (int hour = 0; hour < 20; hour += 3) {
                signIn(stack, payrollUrl, "alice.martin@corp.example", ConsoleSystemTest.PASSWORD);
                signIn(stack, hrUrl, "erin.lopez@corp.example", ConsoleSystemTest.PASSWORD);
                if (hour % 2 == 0) {
                    signIn(stack, payrollUrl, "dave.schmidt@corp.example", ConsoleSystemTest.PASSWORD);
                }
                if (hour % 6 == 0) {
                    signIn(stack, payrollUrl, "bob.keller@corp.example", "not his password");
                }
                clock.advance(Duration.ofHours(3));
            }
        } finally {
            clock.advance(Duration.between(clock.instant(), Instant.now()));
        }
        signIn(stack, payrollUrl, "alice.martin@corp.example", ConsoleSystemTest.PASSWORD);
        signIn(stack, payrollUrl, "bob.keller@corp.example", ConsoleSystemTest.PASSWORD);
        signIn(stack, payrollUrl, "bob.keller@corp.example", "not his password");
        signIn(stack, hrUrl, "erin.lopez@corp.example", ConsoleSystemTest.PASSWORD);
        signIn(stack, hrUrl, "carol.nguyen@corp.example", ConsoleSystemTest.PASSWORD);
        requestAccess(stack, payrollUrl, payroll, "dave.schmidt@corp.example", ConsoleSystemTest.PASSWORD,
                "I approve the engineering team's expense reports");
        requestAccess(stack, payrollUrl, payroll, "erin.lopez@corp.example", ConsoleSystemTest.PASSWORD,
                "HR needs the monthly payroll exports");
    }

    /** A custom-domain certificate from a corporate CA, uploaded as PEM (chain and key). */
    private static void uploadCertificate(DrawbridgeStack stack, String host, Duration validity) throws Exception {
        var ca = CertificateAuthority.create("Corp Issuing CA", Duration.ofDays(730), Clock.systemUTC());
        var keys = CertificateAuthority.newKeyPair();
        var leaf = ca.issueServerCertificate(keys.getPublic(), List.of(host), List.of(), validity);
        String key = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'})
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        stack.adminApi().certificates().upload(CertificateUpload.pem(Pem.encode(leaf) + Pem.encode(ca.certificate()) + key));
    }

    /** Opens the app, signs in on the sign-in host, follows the redirects back: one sign-in log entry or more. */
    static int signIn(DrawbridgeStack stack, String appUrl, String upn, String password) throws Exception {
        HttpClient b = Https.client(stack.server().serverCaCertificate(), true);
        try {
            return signIn(b, stack, appUrl, upn, password);
        } finally {
            b.stop();
        }
    }

    /** Signs in, is refused (not assigned), and asks for access on the sign-in host's request form. */
    static void requestAccess(DrawbridgeStack stack, String appUrl, String appId, String upn, String password, String reason)
            throws Exception {
        HttpClient b = Https.client(stack.server().serverCaCertificate(), true);
        try {
            signIn(b, stack, appUrl, upn, password);
            ContentResponse form = get(b, stack.externalUrl("login") + "request?app=" + appId);
            Fields f = hidden(form);
            f.put("reason", reason);
            b.newRequest(URI.create(stack.externalUrl("login") + "request")).method("POST").body(new FormRequestContent(f))
                    .timeout(20, TimeUnit.SECONDS).send();
        } finally {
            b.stop();
        }
    }

    private static Fields hidden(ContentResponse page) {
        Fields f = new Fields();
        Matcher m = Pattern.compile("type=\"hidden\" name=\"(\\w+)\" value=\"([^\"]*)\"").matcher(page.getContentAsString());
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        return f;
    }

    private static int signIn(HttpClient b, DrawbridgeStack stack, String appUrl, String upn, String password) throws Exception {
        {
            ContentResponse r = get(b, appUrl);
            if (r.getStatus() != 302) {
                return r.getStatus();
            }
            r = get(b, r.getHeaders().get("Location"));
            Fields f = hidden(r);
            f.put("upn", upn);
            f.put("password", password);
            r = b.newRequest(URI.create(stack.externalUrl("login") + "signin")).method("POST").body(new FormRequestContent(f))
                    .timeout(20, TimeUnit.SECONDS).send();
            for (int i = 0; i < 5 && (r.getStatus() == 302 || r.getStatus() == 303); i++) {
                r = get(b, r.getHeaders().get("Location"));
            }
            return r.getStatus();
        }
    }

    private static ContentResponse get(HttpClient b, String url) throws Exception {
        return b.newRequest(URI.create(url)).headers(h -> h.put("Accept", "text/html")).followRedirects(false)
                .timeout(20, TimeUnit.SECONDS).send();
    }

    /** Writes a 64×64 PNG app icon: a rounded tile with a letter. */
    static Path icon(Path file, String letter) throws IOException {
        var img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        var g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(0x0E, 0xA5, 0xE9), 64, 64, new Color(0x16, 0xA3, 0x4A)));
        g.fillRoundRect(0, 0, 64, 64, 16, 16);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 38));
        var m = g.getFontMetrics();
        g.drawString(letter, (64 - m.stringWidth(letter)) / 2, (64 - m.getHeight()) / 2 + m.getAscent());
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /**
     * An in-memory LDAP server on a loopback port: people frank and gina (mail …@ldap.corp.example), group
     * controllers with frank, bind DN cn=sync,dc=corp,dc=example with password sync-secret.
     */
    static InMemoryDirectoryServer ldap() throws Exception {
        var cfg = new InMemoryDirectoryServerConfig("dc=corp,dc=example");
        cfg.addAdditionalBindCredentials("cn=sync,dc=corp,dc=example", "sync-secret");
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                InetAddress.getLoopbackAddress(), 0, null));
        var ldap = new InMemoryDirectoryServer(cfg);
        ldap.add("dn: dc=corp,dc=example", "objectClass: top", "objectClass: domain", "dc: corp");
        ldap.add("dn: ou=people,dc=corp,dc=example", "objectClass: organizationalUnit", "ou: people");
        ldap.add("dn: ou=groups,dc=corp,dc=example", "objectClass: organizationalUnit", "ou: groups");
        for (String[] p : new String[][]{{"frank", "Frank Fischer", "Fischer"}, {"gina", "Gina Gruber", "Gruber"}}) {
            ldap.add("dn: uid=" + p[0] + ",ou=people,dc=corp,dc=example", "objectClass: inetOrgPerson", "uid: " + p[0],
                    "cn: " + p[1], "sn: " + p[2], "displayName: " + p[1], "mail: " + p[0] + "@ldap.corp.example");
        }
        ldap.add("dn: cn=controllers,ou=groups,dc=corp,dc=example", "objectClass: groupOfNames", "cn: controllers",
                "member: uid=frank,ou=people,dc=corp,dc=example");
        ldap.startListening();
        return ldap;
    }

    /** The id of the user {@code upn}, by the admin API. */
    static String userId(DrawbridgeStack stack, String upn) throws Exception {
        return stack.adminApi().users().list(Paging.LARGEST, Users.Search.ALL).items().stream().filter(u -> u.upn().equals(upn))
                .findFirst().orElseThrow(() -> new AssertionError("no user " + upn)).id();
    }
}
