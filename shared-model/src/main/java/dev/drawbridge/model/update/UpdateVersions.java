package dev.drawbridge.model.update;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versions of Drawbridge as updates compare them: {@code MAJOR.MINOR.PATCH} with an optional {@code -qualifier}
 * ({@code 1.4.0-rc.1}, {@code 0.1.0-SNAPSHOT}); numbers compare as numbers, a qualified version comes before the same
 * version without one, and qualifiers compare as semantic versioning 2.0.0 says: identifier by identifier (split at
 * {@code .}), numeric identifiers as numbers and below alphanumeric ones, which compare as ASCII text; a shorter list of
 * identifiers that the longer one begins with comes first ({@code rc.2 < rc.10 < rc.10.1}, {@code 1 < alpha}).
 */
public final class UpdateVersions {
    private static final Pattern NUMERIC = Pattern.compile("\\d+");
    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?:-([0-9A-Za-z.]{1,40}))?");

    /** Orders versions from lowest to highest; throws {@link IllegalArgumentException} for an invalid one. */
    public static final Comparator<String> ORDER = UpdateVersions::compare;

    private UpdateVersions() {
    }

    public static boolean valid(String version) {
        return version != null && VERSION.matcher(version).matches();
    }

    public static int compare(String a, String b) {
        Matcher x = parse(a), y = parse(b);
        for (int i = 1; i <= 3; i++) {
            int c = Integer.compare(Integer.parseInt(x.group(i)), Integer.parseInt(y.group(i)));
            if (c != 0) {
                return c;
            }
        }
        String qa = x.group(4), qb = y.group(4);
        if (qa == null || qb == null) {
            return qa == null ? (qb == null ? 0 : 1) : -1;
        }
        return compareQualifiers(qa.split("\\.", -1), qb.split("\\.", -1));
    }

    private static int compareQualifiers(String[] a, String[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean na = NUMERIC.matcher(a[i]).matches(), nb = NUMERIC.matcher(b[i]).matches();
            int c;
            if (na && nb) {
                // Compared by length first: numbers of any length, no overflow (leading zeros aside).
                String sa = a[i].replaceFirst("^0+(?=.)", ""), sb = b[i].replaceFirst("^0+(?=.)", "");
                c = sa.length() != sb.length() ? Integer.compare(sa.length(), sb.length()) : sa.compareTo(sb);
            } else if (na || nb) {
                c = na ? -1 : 1;
            } else {
                c = a[i].compareTo(b[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    private static Matcher parse(String v) {
        Matcher m = v == null ? null : VERSION.matcher(v);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + v + "' is not a version such as 1.4.0 or 1.4.0-rc.1");
        }
        return m;
    }
}
