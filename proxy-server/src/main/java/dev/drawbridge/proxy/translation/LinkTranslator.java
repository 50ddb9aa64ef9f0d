package dev.drawbridge.proxy.translation;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites, in a stream of characters, the published apps' internal URLs ({@link LinkMap}) to their external ones, and
 * passes every other character through unchanged. Fed in pieces of any size ({@link #write}), it holds back at most
 * {@link LinkMap#lookahead()} characters between two pieces (a link cut by a network read is still found), and keeps
 * no other part of the text: memory stays flat whatever the length of the body, an attribute or a comment.
 *
 * <p>In a stylesheet ({@link Kind#CSS}) a link is translated anywhere ({@code url(...)}, {@code @import}). In HTML
 * a small state machine, after the tokenizer of the HTML standard, finds where links may be: attribute values, quoted
 * or not (so {@code href}, {@code src}, {@code srcset}, {@code action}, a {@code meta refresh}'s {@code content} and an
 * inline {@code style} alike), except event handlers ({@code on*}, which are script), and the text of {@code <style>}
 * elements. It leaves alone text, comments, doctype and processing instructions, end tags, and the contents of
 * {@code <script>}, {@code <textarea>}, {@code <title>} and the other raw-text elements. A link starts where the
 * character before it cannot be part of a URL (so {@code xhttp://hr/} is not a link to {@code http://hr/}).
 */
public final class LinkTranslator {
    /** What the text is: HTML, a stylesheet, or JavaScript or JSON (whose string literals only are translated). */
    public enum Kind { HTML, CSS, SCRIPT }

    private enum State {
        DATA, TAG_OPEN, END_TAG_OPEN, TAG_NAME, BEFORE_ATTR_NAME, ATTR_NAME, AFTER_ATTR_NAME, BEFORE_ATTR_VALUE,
        VALUE_DOUBLE, VALUE_SINGLE, VALUE_UNQUOTED, MARKUP, MARKUP_DASH, COMMENT, BOGUS_COMMENT, RAW_TEXT, PLAIN_TEXT, CSS, SCRIPT
    }

    /** Elements whose text is not markup (the HTML standard's raw text and escapable raw text elements, and script). */
    private static final Set<String> RAW = Set.of("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes");
    /** Only so much of a tag's or an attribute's name is kept: enough to tell the names that matter. */
    private static final int NAME_KEPT = 10;

    private final LinkMap map;
    private final String pageScheme;
    private final String pageApp;
    private final Writer out;
    /** Whether the string literals of inline {@code <script>} elements are translated too. */
    private final boolean inlineScripts;
    private ScriptScanner script = new ScriptScanner();

    private State state;
    private char prev = ' ';
    private final StringBuilder tagName = new StringBuilder();
    private boolean endTag;
    private final StringBuilder attrName = new StringBuilder();
    private boolean attrTranslated;
    private String rawName = "";
    private int rawMatched;
    private int dashes;

    private char[] buf = new char[0];
    private int carried;

    /**
     * @param pageApp    the id of the page's app (its links win over another app's with the same internal base)
     * @param pageScheme the internal scheme of the page's app, which a scheme-relative link ({@code //hr/}) takes
     */
    public LinkTranslator(Kind kind, LinkMap map, String pageApp, String pageScheme, Writer out) {
        this(kind, map, pageApp, pageScheme, out, false);
    }

    /**
     * As above; with {@code inlineScripts}, an HTML page's {@code <script>} elements have their string literals
     * translated too, as a {@link Kind#SCRIPT} text's are.
     */
    public LinkTranslator(Kind kind, LinkMap map, String pageApp, String pageScheme, Writer out, boolean inlineScripts) {
        this.map = map;
        this.pageApp = pageApp;
        this.pageScheme = pageScheme.toLowerCase(Locale.ROOT);
        this.out = out;
        this.inlineScripts = inlineScripts;
        this.state = switch (kind) {
            case HTML -> State.DATA;
            case CSS -> State.CSS;
            case SCRIPT -> State.SCRIPT;
        };
    }

    /** Translates {@code len} characters of {@code text} from {@code off}, holding back the start of a link cut short. */
    public void write(char[] text, int off, int len) throws IOException {
        int n = carried + len;
        if (buf.length < n) {
            buf = Arrays.copyOf(buf, Math.max(n, 2 * buf.length));
        }
        System.arraycopy(text, off, buf, carried, len);
        carried = 0;
        process(n, false);
    }

    /** The end of the text: what was held back is written out, translated if it is a whole link. */
    public void finish() throws IOException {
        int n = carried;
        carried = 0;
        process(n, true);
    }

    private void process(int end, boolean atEnd) throws IOException {
        int run = 0;
        int i = 0;
        while (i < end) {
            char c = buf[i];
            if (state == State.BEFORE_ATTR_VALUE && !isSpace(c) && c != '"' && c != '\'' && c != '>') {
                state = State.VALUE_UNQUOTED;
                prev = ' ';
            }
            boolean inScript = inScriptString();
            if ((c == 'h' || c == 'H' || c == '/' && prev != ';' || c == '\\' && inScript) && (inScript || translating()) && startsLink(prev)) {
                LinkMap.Match m = map.match(buf, i, end, atEnd, pageScheme, pageApp, inScript);
                if (m instanceof LinkMap.Match.NeedMore) {
                    out.write(buf, run, i - run);
                    System.arraycopy(buf, i, buf, 0, end - i);
                    carried = end - i;
                    return;
                }
                if (m instanceof LinkMap.Match.Found f) {
                    out.write(buf, run, i - run);
                    out.write(escaped(f.replacement()));
                    // A base holds no quote, space, '<' or '>': the state stays as it is over it.
                    i += f.length();
                    rawMatched = 0;
                    if (inScript) {
                        script.passedOverText();
                    }
                    prev = buf[i - 1];
                    run = i;
                    continue;
                }
            }
            step(c);
            i++;
        }
        out.write(buf, run, end - run);
    }

    private boolean translating() {
        return switch (state) {
            case CSS -> true;
            case VALUE_DOUBLE, VALUE_SINGLE, VALUE_UNQUOTED -> attrTranslated;
            case RAW_TEXT -> rawName.equals("style");
            default -> false;
        };
    }

    /** Whether the next character is in a string literal of a script (an external one, or inline when asked for). */
    private boolean inScriptString() {
        return (state == State.SCRIPT || state == State.RAW_TEXT && inlineScripts && rawName.equals("script")) && script.inString();
    }

    /**
     * The replacement as the place it goes to needs it written. An external URL is ASCII without quotes or spaces, but
     * it may hold {@code '}, {@code (}, {@code )} and {@code &} (a path may): in a script's string the string's quote
     * is escaped; in CSS (a stylesheet, {@code <style>}, a {@code style} attribute) a quote or parenthesis is
     * backslash-escaped, which is valid in a quoted string and an unquoted {@code url()} alike; in an HTML attribute
     * {@code &} and quotes become character references.
     */
    private String escaped(String replacement) {
        if (replacement.chars().noneMatch(ch -> ch == '\'' || ch == '(' || ch == ')' || ch == '&' || ch == '"')) {
            return replacement;
        }
        if (state == State.SCRIPT || state == State.RAW_TEXT && rawName.equals("script")) {
            char q = script.quote();
            return replacement.replace(String.valueOf(q), "\\" + q);
        }
        boolean attribute = state == State.VALUE_DOUBLE || state == State.VALUE_SINGLE || state == State.VALUE_UNQUOTED;
        String r = replacement;
        if (!attribute || attrName.toString().equals("style")) {
            r = r.replace("'", "\\'").replace("\"", "\\\"").replace("(", "\\(").replace(")", "\\)");
        }
        if (attribute) {
            r = r.replace("&", "&amp;").replace("'", "&#39;").replace("\"", "&quot;");
        }
        return r;
    }

    /**
     * Whether a link may start after {@code c}: not in the middle of a scheme, host, port or path. A scheme-relative
     * one may not start after ';' either, which ends a character reference ({@code http&#58;//hr/}).
     */
    static boolean startsLink(char c) {
        return !LinkMap.continuesUrl(c) && c != '+' && c != '\\';
    }

    private void step(char c) {
        switch (state) {
            case CSS -> prev = c;
            case SCRIPT -> scriptStep(c);
            case DATA -> {
                if (c == '<') {
                    state = State.TAG_OPEN;
                }
            }
            case TAG_OPEN -> {
                if (isLetter(c)) {
                    startTag(c, false);
                } else if (c == '/') {
                    state = State.END_TAG_OPEN;
                } else if (c == '!') {
                    state = State.MARKUP;
                } else if (c == '?') {
                    state = State.BOGUS_COMMENT;
                } else {
                    state = c == '<' ? State.TAG_OPEN : State.DATA;
                }
            }
            case END_TAG_OPEN -> {
                if (isLetter(c)) {
                    startTag(c, true);
                } else {
                    state = c == '>' ? State.DATA : State.BOGUS_COMMENT;
                }
            }
            case TAG_NAME -> {
                if (isSpace(c) || c == '/') {
                    state = State.BEFORE_ATTR_NAME;
                } else if (c == '>') {
                    endOfTag();
                } else {
                    keep(tagName, c);
                }
            }
            case BEFORE_ATTR_NAME -> {
                if (c == '>') {
                    endOfTag();
                } else if (!isSpace(c) && c != '/') {
                    startAttribute(c);
                }
            }
            case ATTR_NAME -> attributeName(c, false);
            case AFTER_ATTR_NAME -> attributeName(c, true);
            case BEFORE_ATTR_VALUE -> {
                if (c == '"' || c == '\'') {
                    state = c == '"' ? State.VALUE_DOUBLE : State.VALUE_SINGLE;
                    prev = ' ';
                } else if (c == '>') {
                    endOfTag();
                }
            }
            case VALUE_DOUBLE, VALUE_SINGLE -> {
                if (c == (state == State.VALUE_DOUBLE ? '"' : '\'')) {
                    state = State.BEFORE_ATTR_NAME;
                } else {
                    prev = c;
                }
            }
            case VALUE_UNQUOTED -> {
                if (isSpace(c)) {
                    state = State.BEFORE_ATTR_NAME;
                } else if (c == '>') {
                    endOfTag();
                } else {
                    prev = c;
                }
            }
            case MARKUP -> state = c == '-' ? State.MARKUP_DASH : c == '>' ? State.DATA : State.BOGUS_COMMENT;
            case MARKUP_DASH -> {
                if (c == '-') {
                    state = State.COMMENT;
                    // "<!-->" and "<!--->" end at once (the standard's abrupt closing of an empty comment).
                    dashes = 2;
                } else {
                    state = c == '>' ? State.DATA : State.BOGUS_COMMENT;
                }
            }
            case COMMENT -> {
                if (c == '>' && dashes >= 2) {
                    state = State.DATA;
                } else {
                    dashes = c == '-' ? dashes + 1 : 0;
                }
            }
            case BOGUS_COMMENT -> {
                if (c == '>') {
                    state = State.DATA;
                }
            }
            case RAW_TEXT -> rawText(c);
            case PLAIN_TEXT -> {
                // <plaintext> has no end: the rest is text.
            }
        }
    }

    private void attributeName(char c, boolean after) {
        if (c == '=') {
            state = State.BEFORE_ATTR_VALUE;
        } else if (c == '>') {
            endOfTag();
        } else if (c == '/') {
            state = State.BEFORE_ATTR_NAME;
        } else if (isSpace(c)) {
            state = State.AFTER_ATTR_NAME;
        } else if (after) {
            startAttribute(c);
        } else {
            keep(attrName, c);
            attrTranslated = translatedAttribute();
        }
    }

    /** In a raw text element, the end tag {@code </name} followed by a space, '/' or '>' ends it. */
    private void rawText(char c) {
        if (rawName.equals("style")) {
            prev = c;
        } else if (inlineScripts && rawName.equals("script")) {
            scriptStep(c);
        }
        int nameAt = rawMatched - 2;
        if (rawMatched == rawName.length() + 2 && (isSpace(c) || c == '/' || c == '>')) {
            endTag = true;
            tagName.setLength(0);
            tagName.append(rawName);
            state = c == '>' ? State.DATA : State.BEFORE_ATTR_NAME;
        } else if (rawMatched == 1 && c == '/' || nameAt >= 0 && nameAt < rawName.length()
                && Character.toLowerCase(c) == rawName.charAt(nameAt)) {
            rawMatched++;
        } else {
            rawMatched = c == '<' ? 1 : 0;
        }
    }

    /** A character of script: where it leaves the scanner, and what a link after it follows. */
    private void scriptStep(char c) {
        script.step(c);
        // After an escape such as \n a link may start ("line\nhttp://hr/"); after \/ it may not.
        prev = script.escaped() && "ntrbfv0".indexOf(c) >= 0 ? ' ' : c;
    }

    private void startTag(char c, boolean end) {
        state = State.TAG_NAME;
        endTag = end;
        tagName.setLength(0);
        keep(tagName, c);
    }

    private void startAttribute(char c) {
        state = State.ATTR_NAME;
        attrName.setLength(0);
        keep(attrName, c);
        attrTranslated = translatedAttribute();
    }

    /** Event handlers are script; end tags' attributes mean nothing. */
    private boolean translatedAttribute() {
        return !endTag && !(attrName.length() >= 2 && attrName.charAt(0) == 'o' && attrName.charAt(1) == 'n');
    }

    private void endOfTag() {
        String name = tagName.toString();
        if (!endTag && RAW.contains(name)) {
            state = State.RAW_TEXT;
            rawName = name;
            rawMatched = 0;
            prev = ' ';
            if (name.equals("script")) {
                script = new ScriptScanner();
            }
        } else if (!endTag && name.equals("plaintext")) {
            state = State.PLAIN_TEXT;
        } else {
            state = State.DATA;
        }
    }

    private static void keep(StringBuilder name, char c) {
        if (name.length() < NAME_KEPT) {
            name.append(Character.toLowerCase(c));
        }
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
