package dev.drawbridge.proxy.translation;

import java.util.Set;

/**
 * Where a stream of JavaScript (or JSON) is, one character at a time: in code, a comment, a regular expression, or a
 * string literal ({@code '…'}, {@code "…"}, or the text of a {@code `…`} template, whose {@code ${…}} is code again).
 * {@link LinkTranslator} translates links inside string literals only: never in code (a lookalike in an identifier
 * stays) or comments. It keeps a few fields and a bounded stack of template nestings, whatever the length of a
 * literal.
 *
 * <p>What it cannot tell apart, as any scanner without a parser: whether a {@code /} starts a regular expression or
 * divides. After {@code )}, {@code ]}, a name, a number or a string it is taken as a division, after anything else
 * (and after the keywords that precede an expression, such as {@code return} or {@code typeof}) as a regular
 * expression; so {@code if (x) /"/.test(s)} is misread (its quote starts a string). A string literal ends at a line
 * break it does not escape, so such a misreading ends with the line.
 */
final class ScriptScanner {
    private enum Mode { CODE, SLASH, LINE_COMMENT, BLOCK_COMMENT, STRING, REGEX, REGEX_CLASS }

    /** Template literals nested deeper than this are followed by count only (their brace depths are not kept). */
    private static final int MAX_NESTING = 32;
    /** Keywords after which a {@code /} starts a regular expression. */
    private static final Set<String> BEFORE_EXPRESSION = Set.of("return", "typeof", "instanceof", "in", "of",
            "new", "delete", "void", "throw", "case", "do", "else", "yield", "await");
    private static final int WORD_KEPT = 10;

    private Mode mode = Mode.CODE;
    private char quote;
    private boolean escape;
    private boolean dollar;
    private boolean star;
    /** The last character of code that is not a space, to tell a regular expression from a division. */
    private char last = '(';
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;
    private boolean escapedLast;
    private boolean lastWasKeyword;
    private final int[] braces = new int[MAX_NESTING];
    private int depth;
    private int overflow;
    private int open;

    /** Whether the next character is inside a string literal, and not escaped by a backslash. */
    boolean inString() {
        return mode == Mode.STRING && !escape;
    }

    /** The quote of the string literal the scanner is in. */
    char quote() {
        return quote;
    }

    /**
     * Text of the string literal was passed over without {@link #step} (a link, replaced): it ended with a character of
     * a URL, so a {@code $} before it no longer makes a following <code>{</code> start a template's code.
     */
    void passedOverText() {
        dollar = false;
    }

    /** Whether the last character stepped over was escaped by a backslash in a string literal. */
    boolean escaped() {
        return escapedLast;
    }

    void step(char c) {
        escapedLast = false;
        switch (mode) {
            case CODE -> code(c);
            case SLASH -> {
                if (c == '/') {
                    mode = Mode.LINE_COMMENT;
                } else if (c == '*') {
                    mode = Mode.BLOCK_COMMENT;
                    star = false;
                } else if (regexAllowed()) {
                    mode = Mode.REGEX;
                    regex(c);
                } else {
                    mode = Mode.CODE;
                    last = '/';
                    lastWasKeyword = false;
                    code(c);
                }
            }
            case LINE_COMMENT -> {
                if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
                    mode = Mode.CODE;
                }
            }
            case BLOCK_COMMENT -> {
                if (star && c == '/') {
                    mode = Mode.CODE;
                }
                star = c == '*';
            }
            case STRING -> string(c);
            case REGEX, REGEX_CLASS -> regex(c);
        }
    }

    private void code(char c) {
        boolean wordChar = Character.isLetterOrDigit(c) || c == '_' || c == '$';
        if (wordChar) {
            if (!inWord) {
                word.setLength(0);
                inWord = true;
            }
            if (word.length() <= WORD_KEPT) {
                word.append(c);
            }
            last = c;
            lastWasKeyword = false;
            return;
        }
        if (inWord) {
            lastWasKeyword = BEFORE_EXPRESSION.contains(word.toString());
            inWord = false;
        }
        switch (c) {
            case '"', '\'', '`' -> {
                mode = Mode.STRING;
                quote = c;
                escape = false;
                dollar = false;
            }
            case '/' -> mode = Mode.SLASH;
            case '{' -> {
                open++;
                setLast(c);
            }
            case '}' -> {
                if (open == 0 && (depth > 0 || overflow > 0)) {
                    // The end of a template's ${…}: back in its text.
                    if (overflow > 0) {
                        overflow--;
                    } else {
                        open = braces[--depth];
                    }
                    mode = Mode.STRING;
                    quote = '`';
                    escape = false;
                    dollar = false;
                } else {
                    open = Math.max(0, open - 1);
                    setLast(c);
                }
            }
            default -> {
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\u000b') {
                    setLast(c);
                }
            }
        }
    }

    private void setLast(char c) {
        last = c;
        lastWasKeyword = false;
    }

    private boolean regexAllowed() {
        if (lastWasKeyword) {
            return true;
        }
        return !(isWordChar(last) || last == ')' || last == ']' || last == '"' || last == '\'' || last == '`');
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private void string(char c) {
        if (escape) {
            escape = false;
            escapedLast = true;
            return;
        }
        if (c == '\\') {
            escape = true;
            dollar = false;
        } else if (c == quote) {
            mode = Mode.CODE;
            last = quote;
            lastWasKeyword = false;
        } else if (quote != '`' && (c == '\n' || c == '\r')) {
            // An unterminated string ends with its line (a syntax error the browser reports; the rest is code again).
            mode = Mode.CODE;
        } else if (quote == '`' && dollar && c == '{') {
            if (depth < MAX_NESTING) {
                braces[depth++] = open;
            } else {
                overflow++;
            }
            open = 0;
            mode = Mode.CODE;
            last = '(';
        } else {
            dollar = quote == '`' && c == '$';
        }
    }

    private void regex(char c) {
        if (escape) {
            escape = false;
            return;
        }
        if (c == '\\') {
            escape = true;
        } else if (c == '\n' || c == '\r') {
            mode = Mode.CODE;
        } else if (mode == Mode.REGEX_CLASS) {
            if (c == ']') {
                mode = Mode.REGEX;
            }
        } else if (c == '[') {
            mode = Mode.REGEX_CLASS;
        } else if (c == '/') {
            mode = Mode.CODE;
            // Flags follow; a '/' after them divides.
            setLast(')');
        }
    }
}
