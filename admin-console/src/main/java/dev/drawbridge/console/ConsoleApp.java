package dev.drawbridge.console;

import dev.drawbridge.console.apps.AppsScreen;
import dev.drawbridge.console.certificates.CertificatesScreen;
import dev.drawbridge.console.config.AdminApis;
import dev.drawbridge.console.config.ChainProbe;
import dev.drawbridge.console.config.ConsoleConfig;
import dev.drawbridge.console.config.TrustedCas;
import dev.drawbridge.console.connectors.ConnectorsScreen;
import dev.drawbridge.console.dashboard.DashboardScreen;
import dev.drawbridge.console.directory.DirectoryScreen;
import dev.drawbridge.console.domains.DomainsScreen;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.logs.LogsScreen;
import dev.drawbridge.console.policies.PoliciesScreen;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.FxNotices;
import dev.drawbridge.console.shell.FxTasks;
import dev.drawbridge.console.shell.MainWindow;
import dev.drawbridge.console.shell.Screen;
import dev.drawbridge.console.signin.SignInView;
import dev.drawbridge.console.signin.SignInViewModel;
import dev.drawbridge.model.api.AdminRole.Permission;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The console's composition root: config directory, trusted CAs, notices, background tasks, the sign-in view,
 * and once signed in the main window with one screen per area. Started by {@link Launcher}.
 */
public final class ConsoleApp extends Application {
    private ConsoleOptions options;
    private ConsoleConfig config;
    private Stage stage;
    private Scene scene;
    private FxNotices notices;
    private FxTasks tasks;
    private ExecutorService executor;
    private SignInViewModel signInVm;
    private SignInView signInView;
    private MainWindow main;
    private Session session;

    /** For {@link Application#launch}: options come from the command line. */
    public ConsoleApp() {
    }

    /** For tests: explicit options. */
    public ConsoleApp(ConsoleOptions options) {
        this.options = options;
    }

    @Override
    public void start(Stage primary) throws Exception {
        if (options == null) {
            options = ConsoleOptions.parse(getParameters().getRaw());
        }
        stage = primary;
        config = new ConsoleConfig(ConsoleConfig.defaultDir());
        TrustedCas cas = new TrustedCas(config.dir());
        if (options.caFile().isPresent()) {
            cas.addForSession(options.caFile().get());
        }
        notices = new FxNotices(() -> stage, Clock.systemDefaultZone());
        executor = Executors.newVirtualThreadPerTaskExecutor();
        tasks = new FxTasks(executor, notices);
        tasks.onUnauthorized(() -> {
            if (session == null) {
                return false;
            }
            signOut();
            signInVm.errorProperty().set("The server no longer accepts your sign-in (it expired or was revoked). Sign in again.");
            return true;
        });
        signInVm = new SignInViewModel(tasks, cas, SignInView.prompt(() -> stage), AdminApis::http,
                ChainProbe::fetch);
        signInVm.serverProperty().set(options.server().or(() -> config.get("server")).orElse("https://admin.localhost:8443"));
        config.get("username").ifPresent(signInVm.usernameProperty()::set);
        config.get("useToken").ifPresent(v -> signInVm.useTokenProperty().set(Boolean.parseBoolean(v)));
        options.token().ifPresent(t -> {
            signInVm.useTokenProperty().set(true);
            signInVm.tokenProperty().set(t);
        });
        signInView = new SignInView(signInVm, () -> signInVm.signIn(this::signedIn));

        scene = new Scene(new StackPane(signInView.root()), config.getDouble("window.width", 1280),
                config.getDouble("window.height", 800));
        scene.getStylesheets().add(Objects.requireNonNull(getClass().getResource("console.css")).toExternalForm());
        stage.setScene(scene);
        stage.setTitle("Drawbridge admin console");
        double x = config.getDouble("window.x", Double.NaN), y = config.getDouble("window.y", Double.NaN);
        if (!Double.isNaN(x) && !Double.isNaN(y)) {
            stage.setX(x);
            stage.setY(y);
        }
        stage.setMaximized(Boolean.parseBoolean(config.get("window.maximized").orElse("false")));
        stage.show();
        if (options.server().isPresent() && options.token().isPresent()) {
            signInVm.signIn(this::signedIn);
        }
    }

    private void signedIn(Session s) {
        session = s;
        config.put("server", s.server().toString());
        config.put("useToken", Boolean.toString(signInVm.useTokenProperty().get()));
        config.put("username", signInVm.useTokenProperty().get() ? null : signInVm.usernameProperty().get());
        config.save();
        signInVm.tokenProperty().set("");
        // Back on the sign-in form (sign-out), the emptied fields are not the admin's mistakes.
        signInVm.errors().reset();
        // Each role sees the screens it may read; the dashboard shows the parts it may read.
        List<Screen> screens = new ArrayList<>();
        screens.add(screen((t, n) -> new DashboardScreen(s, t)));
        Permissions p = s.permissions();
        if (p.has(Permission.APPS_READ)) {
            screens.add(screen((t, n) -> new AppsScreen(s, t, n)));
        }
        if (p.has(Permission.CONNECTORS_READ)) {
            screens.add(screen((t, n) -> new ConnectorsScreen(s, t, n)));
        }
        if (p.has(Permission.DIRECTORY_READ)) {
            screens.add(screen((t, n) -> new DirectoryScreen(s, t, n)));
        }
        if (p.has(Permission.POLICIES_READ)) {
            screens.add(screen((t, n) -> new PoliciesScreen(s, t, n)));
        }
        if (p.has(Permission.LOGS_READ)) {
            screens.add(screen((t, n) -> new LogsScreen(s, t, n)));
        }
        if (p.has(Permission.CERTIFICATES_READ)) {
            screens.add(screen((t, n) -> new CertificatesScreen(s, t, n)));
            screens.add(screen((t, n) -> new DomainsScreen(s, t, n)));
        }
        String who = s.subject() + (s.roles().isEmpty() ? "" : " — " + Labels.roles(s.roles()));
        main = new MainWindow(screens, who, s.server().getHost(), tasks, notices, this::signOut, shown -> {
            config.put("screen", shown);
        });
        scene.setRoot(new StackPane(main.root()));
        main.installAccelerators(scene);
        main.show(options.screen().or(() -> config.get("screen")).orElse("Dashboard"));
    }

    /** Builds a screen with its own notices (in the status bar while it is shown) and tasks that report to them. */
    private Screen screen(BiFunction<Tasks, Notices, Screen> make) {
        AtomicReference<Screen> self = new AtomicReference<>();
        Notices own = notices.forScreen(self::get);
        Screen s = make.apply(tasks.reportingTo(own), own);
        self.set(s);
        return s;
    }

    private void signOut() {
        tasks.forgetRunning();
        if (main != null) {
            main.stop();
            main = null;
        }
        if (session != null) {
            AdminApis.close(session.api());
        }
        session = null;
        scene.getAccelerators().clear();
        scene.setRoot(new StackPane(signInView.root()));
    }

    @Override
    public void stop() {
        if (config != null && stage != null) {
            config.put("window.maximized", Boolean.toString(stage.isMaximized()));
            if (!stage.isMaximized()) {
                config.put("window.x", Double.toString(stage.getX()));
                config.put("window.y", Double.toString(stage.getY()));
                config.put("window.width", Double.toString(stage.getWidth()));
                config.put("window.height", Double.toString(stage.getHeight()));
            }
            config.save();
        }
        if (main != null) {
            main.stop();
        }
        if (session != null) {
            AdminApis.close(session.api());
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** The window's notices (tests read them). */
    public FxNotices notices() {
        return notices;
    }

    /** The main window once signed in, else null. */
    public MainWindow mainWindow() {
        return main;
    }

    public Stage stage() {
        return stage;
    }
}
