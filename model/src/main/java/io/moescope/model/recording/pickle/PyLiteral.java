package io.moescope.model.recording.pickle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literals of a numpy header ({@code {'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }})
 * by grammar, never by evaluation: dicts, tuples, lists, quoted strings without escapes, integers, True, False,
 * None. Values map as in {@link Unpickler}.
 */
final class PyLiteral {

    private final String s;
    private int i;
    private int depth;

    private PyLiteral(String s) {
        this.s = s;
    }

    static Object parse(String text) throws PickleException {
        PyLiteral p = new PyLiteral(text);
        Object v = p.value();
        p.skip();
        if (p.i != text.length()) {
            throw p.error("trailing text");
        }
        return v;
    }

    private Object value() throws PickleException {
        skip();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        if (++depth > 32) {
            throw error("nesting too deep");
        }
        try {
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<Object, Object> m = new LinkedHashMap<>();
                while (!close('}')) {
                    Object k = value();
                    skip();
                    expect(':');
                    m.put(Unpickler.hashable(k), value());
                    separator('}');
                }
                return m;
            }
            if (c == '(' || c == '[') {
                char end = c == '(' ? ')' : ']';
                i++;
                List<Object> items = new ArrayList<>();
                while (!close(end)) {
                    items.add(value());
                    separator(end);
                }
                return c == '(' ? new PyTuple(items) : items;
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String str = s.substring(i + 1, end);
                if (str.indexOf('\\') >= 0) {
                    throw error("escapes in strings are not supported");
                }
                i = end + 1;
                return str;
            }
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-')) {
                i++;
            }
            String word = s.substring(start, i);
            switch (word) {
                case "True":
                    return Boolean.TRUE;
                case "False":
                    return Boolean.FALSE;
                case "None":
                    return null;
                default:
                    try {
                        return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
                    } catch (NumberFormatException e) {
                        throw error("unexpected '" + (word.isEmpty() ? String.valueOf(c) : word) + "'");
                    }
            }
        } finally {
            depth--;
        }
    }

    private boolean close(char end) {
        skip();
        if (i < s.length() && s.charAt(i) == end) {
            i++;
            return true;
        }
        return false;
    }

    private void separator(char end) throws PickleException {
        skip();
        if (i < s.length() && s.charAt(i) == ',') {
            i++;
        } else if (i >= s.length() || s.charAt(i) != end) {
            throw error("expected ',' or '" + end + "'");
        }
    }

    private void expect(char c) throws PickleException {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void skip() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private PickleException error(String what) {
        return new PickleException("numpy header: " + what + " at character " + i);
    }
}
