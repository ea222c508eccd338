package io.moescope.model.chat;

import java.util.ArrayList;
import java.util.List;

/** Top-level structure of a Jinja call's argument list (quotes and brackets respected). */
final class JinjaArgs {

    private JinjaArgs() {}

    /** The index of the ')' closing the '(' at {@code open}, or -1. */
    static int matchingParen(String s, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return c == ')' ? i : -1;
                }
            }
        }
        return -1;
    }

    /** "a=x|length - 1, b=true" → "a=(x|length - 1), b=(true)"; positional arguments are left alone. */
    static String parenthesiseKeywords(String args) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(args.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(args.substring(start));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                            "^(\\s*[A-Za-z_][A-Za-z0-9_]*\\s*)=(?!=)(.*)$", java.util.regex.Pattern.DOTALL)
                    .matcher(p);
            out.append(i > 0 ? "," : "").append(m.matches() ? m.group(1) + "=(" + m.group(2) + ")" : p);
        }
        return out.toString();
    }
}
