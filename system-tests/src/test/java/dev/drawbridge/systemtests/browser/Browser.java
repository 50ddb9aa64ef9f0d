package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real headless Chromium (the system's {@code /usr/bin/chromium}, Debian package {@code chromium}) driven through
 * Playwright, for browser tests.
 *
 * <p>The browser trusts exactly one extra CA, the way a user's browser would after they imported it: the CA is added to
 * an NSS database under a temporary {@code HOME} ({@code certutil -d sql:$HOME/.pki/nssdb -A -t "C,,"}, Debian
 * package {@code libnss3-tools}) and Chromium is started with that {@code HOME}. No certificate error is ignored, so a
 * page that loads proves the server's certificate chain is valid for Chromium.
 *
 * <p>Each {@link #newPage()} lives in its own {@link BrowserContext} (cookies, storage and cache isolated); reach the
 * context through {@code page.context()}, e.g. {@code page.context().cookies()}. Playwright gives each launch a fresh
 * temporary user-data directory of its own, deleted on close. Playwright is told never to download a browser
 * ({@code PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1}, also set by system-tests' surefire configuration).
 *
 * <p>{@code *.localhost} names resolve to loopback inside Chromium itself, so no DNS or hosts-file change is needed.
 * Another Chromium binary can be picked with {@code -Ddrawbridge.chromium=/path/to/chromium}.
 */
public final class Browser implements AutoCloseable {
    /** The Chromium binary: {@code -Ddrawbridge.chromium}, by default Debian's {@code /usr/bin/chromium}. */
    public static final Path CHROMIUM = Paths.get(System.getProperty("drawbridge.chromium", "/usr/bin/chromium"));
    /** The nickname of the trusted CA in the NSS database. */
    static final String CA_NICKNAME = "drawbridge-test";
    /** Default timeout for page actions and navigations, in milliseconds. */
    static final double TIMEOUT_MS = 20_000;

    private final Path home;
    private final Playwright playwright;
    // CHECKSTYLE.OFF: InlineFullyQualifiedName this class is Browser too: Playwright's is named in full
    private final com.microsoft.playwright.Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();

    private Browser(Path home, Playwright playwright, com.microsoft.playwright.Browser browser) {
        this.home = home;
        this.playwright = playwright;
        this.browser = browser;
    }

    /**
     * Launches headless Chromium trusting {@code trustedCa} (and the system's usual roots).
     *
     * @throws IllegalStateException if chromium or certutil is missing (install the Debian packages {@code chromium}
     *                               and {@code libnss3-tools}; {@code .ci/run} does it)
     */
    public static Browser start(X509Certificate trustedCa) throws IOException, InterruptedException {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException("no Chromium at " + CHROMIUM + ": install it with "
                    + "`apt-get install chromium libnss3-tools` (or pass -Ddrawbridge.chromium=/path/to/chromium)");
        }
        Path home = Files.createTempDirectory("drawbridge-browser-home-");
        Playwright playwright = null;
        try {
            trustInNssDb(home, trustedCa);
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("HOME", home.toString());
            // Keep every per-user directory Chromium might look at inside the temporary HOME.
            env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
            env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            com.microsoft.playwright.Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setChromiumSandbox(false) // tests run as root (CI): Chromium's sandbox refuses root
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync",
                            // Containers often have a 64 MB /dev/shm, too small for Chromium; use /tmp instead.
                            "--disable-dev-shm-usage"))
                    .setEnv(env)
                    .setTimeout(60_000));
            return new Browser(home, playwright, browser);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            if (playwright != null) {
                try {
                    playwright.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            deleteTree(home);
            throw e;
        }
    }

    /** Creates {@code $home/.pki/nssdb} (empty password) holding {@code ca} as a trusted SSL root ("C,,"). */
    private static void trustInNssDb(Path home, X509Certificate ca) throws IOException, InterruptedException {
        Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
        Path pem = home.resolve("ca.pem");
        Files.writeString(pem, toPem(ca), StandardCharsets.US_ASCII);
        String db = "sql:" + nssdb;
        certutil(home, "-N", "-d", db, "--empty-password");
        certutil(home, "-A", "-d", db, "-t", "C,,", "-n", CA_NICKNAME, "-i", pem.toString());
        String listed = certutil(home, "-L", "-d", db);
        if (!listed.contains(CA_NICKNAME)) {
            throw new IllegalStateException("certutil did not store the CA in " + nssdb + ":\n" + listed);
        }
    }

    private static String certutil(Path home, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("certutil");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("certutil is not installed: `apt-get install libnss3-tools`", e);
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("certutil " + String.join(" ", args) + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("certutil " + String.join(" ", args) + " failed (" + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    static String toPem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A fresh, isolated context (own cookies and storage); closed with this browser. */
    public BrowserContext newContext() {
        BrowserContext context = browser.newContext();
        context.setDefaultTimeout(TIMEOUT_MS);
        context.setDefaultNavigationTimeout(TIMEOUT_MS);
        synchronized (contexts) {
            contexts.add(context);
        }
        return context;
    }

    /** A new page in a fresh {@link #newContext() context}; {@code page.context()} gives its cookies. */
    public Page newPage() {
        return newContext().newPage();
    }

    /** The Playwright browser, for anything this harness does not offer. */
    public com.microsoft.playwright.Browser playwrightBrowser() {
    // CHECKSTYLE.ON: InlineFullyQualifiedName
        return browser;
    }

    /** The temporary HOME Chromium runs with (its {@code .pki/nssdb} holds the trusted CA). */
    public Path home() {
        return home;
    }

    /**
     * Saves a full-page screenshot to {@code target/screenshots/<name>.png} (of the module running the tests).
     *
     * @return the file written
     */
    public static Path screenshot(Page page, String name) {
        Path dir = Paths.get(System.getProperty("basedir", ".")).resolve("target/screenshots");
        Path file = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        return file;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            List<BrowserContext> open;
            synchronized (contexts) {
                open = List.copyOf(contexts);
                contexts.clear();
            }
            for (BrowserContext c : open) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    // already closed, or the browser is gone: closing the browser below is what matters
                }
            }
            browser.close();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            try {
                playwright.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            deleteTree(home);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: it is a temporary directory
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
