package dev.drawbridge.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Keeps what a server (or anyone who typed into it: a user name at the public sign-in form) supplies from driving the
 * admin's terminal. Escape sequences start with C0 or C1 controls (ESC, CSI 0x9b, OSC: clipboard writes, hidden or
 * rewritten lines, planted links), BS and DEL overwrite, and Unicode's bidi controls reorder what is shown (Trojan
 * Source). Every such character is shown visibly as its Java/JSON escape ({@code \u001b}) instead.
 *
 * <p>Two layers: {@link #oneLine} for a table cell or a "field: value" line (before widths are measured), and
 * {@link #guard} around everything a command prints, whatever the text's path to it (messages, problem documents,
 * quiet ids). JSON is escaped by Jackson itself ({@link Output#JSON}), so the guard never changes it.
 */
final class TerminalText {
    private TerminalText() {
    }

    /**
     * Whether {@code c} must not reach a terminal: C0 controls, DEL, C1 controls, the Unicode Bidi_Control characters
     * (ALM, LRM, RLM, LRE..RLO, LRI..PDI) and the line and paragraph separators.
     */
    static boolean unsafe(int c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 || c == 0x2029
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** The visible form of an unsafe character. */
    static String escape(char c) {
        return String.format("\\u%04x", (int) c);
    }

    /** {@code s} on one line: runs of CR, LF and TAB become one space, every other unsafe character its escape. */
    static String oneLine(String s) {
        String spaced = s.replaceAll("[\\r\\n\\t]+", " ");
        StringBuilder sb = null;
        for (int i = 0; i < spaced.length(); i++) {
            char c = spaced.charAt(i);
            if (unsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(spaced.length() + 16).append(spaced, 0, i);
                }
                sb.append(escape(c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? spaced : sb.toString();
    }

    /** {@code out} escaping every unsafe character but line ends ({@code \n}, and {@code \r\n}). */
    static PrintWriter guard(PrintWriter out) {
        return new PrintWriter(new Guard(out));
    }

    private static final class Guard extends Writer {
        private final PrintWriter out;

        Guard(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            StringBuilder sb = new StringBuilder(len);
            for (int i = off; i < off + len; i++) {
                char c = buf[i];
                boolean lineEnd = c == '\n' || (c == '\r' && i + 1 < off + len && buf[i + 1] == '\n');
                if (!lineEnd && unsafe(c)) {
                    sb.append(escape(c));
                } else {
                    sb.append(c);
                }
            }
            out.write(sb.toString());
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            // the command line's writer stays open: it is not ours
            out.flush();
        }
    }
}
