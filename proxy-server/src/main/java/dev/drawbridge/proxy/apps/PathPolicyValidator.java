package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.web.ValidationException;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks an app's path rules and puts them in their stored form. A rule's path must be in its plain spelling, the one
 * {@link RequestPath} reads back unchanged: no percent-encoding, {@code ;} parameters, backslashes, dot segments, trailing
 * dots or spaces, empty segments or Unicode compatibility forms (those spellings would match it only through the
 * stricter-wins rule of {@link PathRules}), and never under the proxy's {@code .drawbridge/}. One rule per path (in any
 * letter case: two rules differing only in case contest every request). {@code DIRECTORY} needs a pre-authenticated app
 * (a passthrough app has no sign-in); users and policies need a path that signs users in. Users and groups are resolved to
 * their ids, policies must exist. All problems come together, each naming its field ({@code paths[2].users}).
 */
public final class PathPolicyValidator {
    /** The most rules an app may have. */
    public static final int MAX_RULES = 100;
    static final int MAX_PATH = 1000;

    private final Function<String, Optional<String>> principalIds;
    private final Function<String, Boolean> policyExists;

    /**
     * @param principalIds a user (id or UPN) or group (id or name) → its id, empty when there is none
     * @param policyExists whether a conditional access policy has this id
     */
    public PathPolicyValidator(Function<String, Optional<String>> principalIds, Function<String, Boolean> policyExists) {
        this.principalIds = principalIds;
        this.policyExists = policyExists;
    }

    /** The rules as stored: canonical paths, principals as ids, in the order given. */
    public List<PathPolicy> validate(PublishedApp app, List<PathPolicy> rules) throws ValidationException {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (rules.size() > MAX_RULES) {
            throw new ValidationException("paths", "an app has at most " + MAX_RULES + " path rules");
        }
        List<PathPolicy> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            String f = "paths[" + i + "]";
            PathPolicy r = rules.get(i);
            if (r == null) {
                errors.add(new Problem.FieldError(f, "a path rule is required"));
                continue;
            }
            Optional<String> path = canonical(r.path(), f + ".path", errors);
            path.ifPresent(p -> {
                String key = PathPrefix.fold(p);
                String before = seen.putIfAbsent(key, p);
                if (before != null) {
                    errors.add(new Problem.FieldError(f + ".path", before.equals(p) ? "the path " + p + " has a rule already"
                            : "the path " + p + " differs from " + before + " only in letter case; one rule covers both"));
                }
            });
            PreAuthentication effective = r.preAuthentication() == null ? app.preAuthentication() : r.preAuthentication();
            if (effective == PreAuthentication.DIRECTORY && app.preAuthentication() == PreAuthentication.PASSTHROUGH) {
                errors.add(new Problem.FieldError(f + ".preAuthentication", "the app is PASSTHROUGH, so it has no sign-in: make the app"
                        + " DIRECTORY and its open paths PASSTHROUGH instead"));
            }
            if (effective == PreAuthentication.PASSTHROUGH && (!r.users().isEmpty() || !r.policies().isEmpty())) {
                errors.add(new Problem.FieldError(f + (r.users().isEmpty() ? ".policies" : ".users"), "a PASSTHROUGH path lets"
                        + " everyone in without signing in, so it can name no users or policies"));
            }
            LinkedHashSet<String> users = new LinkedHashSet<>();
            for (String u : r.users()) {
                Optional<String> id = u == null ? Optional.empty() : principalIds.apply(u.strip());
                id.ifPresentOrElse(users::add, () -> errors.add(new Problem.FieldError(f + ".users",
                        "no user (id or UPN) or group (id or name) '" + u + "'")));
            }
            for (String p : r.policies()) {
                if (p == null || !policyExists.apply(p.strip())) {
                    errors.add(new Problem.FieldError(f + ".policies", "no conditional access policy with id '" + p + "'"));
                }
            }
            path.ifPresent(p -> out.add(new PathPolicy(p, r.preAuthentication(), List.copyOf(users),
                    r.policies().stream().map(String::strip).distinct().toList())));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return out;
    }

    /** The plain spelling of a rule's path ("/admin", "/" for the whole app), or empty with a problem. */
    static Optional<String> canonical(String path, String field, List<Problem.FieldError> errors) {
        if (path == null || path.isBlank()) {
            errors.add(new Problem.FieldError(field, "a path is required, like /admin"));
            return Optional.empty();
        }
        if (path.length() > MAX_PATH || !path.startsWith("/")) {
            errors.add(new Problem.FieldError(field, "the path must start with '/' and be at most " + MAX_PATH + " characters, like /admin"));
            return Optional.empty();
        }
        RequestPath read;
        try {
            read = RequestPath.parse(path);
        } catch (RequestPath.BadPathException e) {
            errors.add(new Problem.FieldError(field, e.getMessage()));
            return Optional.empty();
        }
        String plain = read.normalised();
        String given = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (!plain.equals(given) || path.indexOf('%') >= 0 || path.indexOf(';') >= 0 || path.indexOf('?') >= 0 || path.indexOf('#') >= 0
                || !Normalizer.isNormalized(path, Normalizer.Form.NFKC)) {
            errors.add(new Problem.FieldError(field, "write the path plainly, like " + plain + ": no percent-encoding, ';' parameters,"
                    + " backslashes, empty or dot segments, trailing dots or spaces"));
            return Optional.empty();
        }
        if (!read.segments().isEmpty() && PathPrefix.fold(read.segments().getFirst()).equals(".drawbridge")) {
            errors.add(new Problem.FieldError(field, "the path .drawbridge/ is the proxy's own (sign-in and sign-out)"));
            return Optional.empty();
        }
        return Optional.of(plain);
    }
}
