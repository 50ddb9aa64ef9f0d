package dev.drawbridge.model.http;

/**
 * How header names are compared where a spoofed spelling could pass for the real one. CGI, FastCGI and WSGI gateways
 * turn a name into an environment variable by upper-casing it and mapping {@code -} (lighttpd, and Apache httpd before
 * 2.4, every non-alphanumeric character) to {@code _}, so {@code X_Remote_User} and {@code X.Remote.User} both arrive as
 * {@code HTTP_X_REMOTE_USER}, the real header's variable. Both ends of the tunnel fold names the same way.
 */
public final class HeaderNames {
    private HeaderNames() {
    }

    /** The name as gateways may see it: ASCII lower case, every character but a letter or digit as {@code -}. */
    public static String canonical(String name) {
        char[] c = new char[name.length()];
        for (int i = 0; i < c.length; i++) {
            char ch = name.charAt(i);
            c[i] = ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A'))
                    : (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '-';
        }
        return new String(c);
    }

    /** Whether two names are spellings of one header (see {@link #canonical}). */
    public static boolean sameHeader(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    /** Whether {@code name} is an RFC 9110 token (1 or more of letters, digits and {@code !#$%&'*+-.^_`|~}). */
    public static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
