package io.moescope.model.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Python str methods with Python's semantics (whitespace = str.isspace, split without a separator, …). */
final class PyStrings {

    /** Returned when the method is not a Python str method we provide (Jinjava then tries Java's). */
    static final Object NOT_HANDLED = new Object();

    private PyStrings() {}

    static Object call(String s, String method, Object[] p) {
        switch (method) {
            case "strip":
                return strip(s, chars(p), true, true);
            case "lstrip":
                return strip(s, chars(p), true, false);
            case "rstrip":
                return strip(s, chars(p), false, true);
            case "startswith":
                return p.length == 1 ? affix(s, p[0], true) : NOT_HANDLED;
            case "endswith":
                return p.length == 1 ? affix(s, p[0], false) : NOT_HANDLED;
            case "split":
                return split(
                        s,
                        p.length > 0 && p[0] != null ? p[0].toString() : null,
                        p.length > 1 ? ((Number) p[1]).intValue() : -1);
            case "upper":
                return s.toUpperCase(Locale.ROOT);
            case "lower":
                return s.toLowerCase(Locale.ROOT);
            case "capitalize":
                return s.isEmpty()
                        ? s
                        : s.substring(0, 1).toUpperCase(Locale.ROOT)
                                + s.substring(1).toLowerCase(Locale.ROOT);
            case "title":
                return title(s);
            case "replace":
                return p.length == 2 ? s.replace(p[0].toString(), p[1].toString()) : NOT_HANDLED;
            case "find":
                return p.length == 1 ? s.indexOf(p[0].toString()) : NOT_HANDLED;
            case "join":
                if (p.length == 1 && p[0] instanceof Iterable) {
                    List<String> parts = new ArrayList<>();
                    ((Iterable<?>) p[0]).forEach(x -> parts.add(String.valueOf(x)));
                    return String.join(s, parts);
                }
                return NOT_HANDLED;
            default:
                return NOT_HANDLED;
        }
    }

    private static String chars(Object[] p) {
        return p.length > 0 && p[0] != null ? p[0].toString() : null;
    }

    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || (c >= 0x1c && c <= 0x1f) || c == 0x85;
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && strippable(s.charAt(b), chars)) {
            b++;
        }
        while (right && e > b && strippable(s.charAt(e - 1), chars)) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean strippable(char c, String chars) {
        return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
    }

    private static boolean affix(String s, Object what, boolean prefix) {
        if (what instanceof Iterable) { // a tuple of prefixes
            for (Object w : (Iterable<?>) what) {
                if (affix(s, w, prefix)) {
                    return true;
                }
            }
            return false;
        }
        String w = String.valueOf(what);
        return prefix ? s.startsWith(w) : s.endsWith(w);
    }

    static List<String> split(String s, String sep, int maxSplit) {
        List<String> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            while (true) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    return out;
                }
                if (maxSplit >= 0 && out.size() == maxSplit) {
                    out.add(strip(s.substring(i), null, false, true));
                    return out;
                }
                int j = i;
                while (j < s.length() && !isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        int at;
        while ((maxSplit < 0 || out.size() < maxSplit) && (at = s.indexOf(sep, from)) >= 0) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean prevCased = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(prevCased ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevCased = Character.isLetter(c);
        }
        return sb.toString();
    }
}
