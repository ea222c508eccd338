package io.moescope.model.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;

/**
 * What transformers' apply_chat_template gives a template beyond plain Jinja: {@code raise_exception(msg)},
 * {@code strftime_now(fmt)} and a {@code tojson} filter that writes like Python's {@code json.dumps}
 * (", " and ": " separators, non-ASCII kept, optional indent).
 */
final class HfGlobals {

    /** The clock strftime_now reads during a render (set by ChatTemplate around each render). */
    static final ThreadLocal<Clock> CLOCK = ThreadLocal.withInitial(Clock::systemDefaultZone);

    private HfGlobals() {}

    static void register(Jinjava jinjava) {
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "raise_exception", HfGlobals.class, "raiseException", String.class));
        jinjava.getGlobalContext()
                .registerFunction(
                        new ELFunctionDefinition("", "strftime_now", HfGlobals.class, "strftimeNow", String.class));
        jinjava.getGlobalContext().registerFilter(new ToJson());
    }

    /** Thrown by raise_exception; its message is the template's. */
    static final class TemplateRaised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TemplateRaised(String message) {
            super(message);
        }
    }

    public static Object raiseException(String message) {
        throw new TemplateRaised(message);
    }

    /** Python's strftime on the current local time, for the directives chat templates use. */
    public static String strftimeNow(String format) {
        ZonedDateTime t = ZonedDateTime.now(CLOCK.get());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                sb.append(c);
                continue;
            }
            char d = format.charAt(++i);
            switch (d) {
                case 'd':
                    sb.append(String.format("%02d", t.getDayOfMonth()));
                    break;
                case 'm':
                    sb.append(String.format("%02d", t.getMonthValue()));
                    break;
                case 'Y':
                    sb.append(t.getYear());
                    break;
                case 'y':
                    sb.append(String.format("%02d", t.getYear() % 100));
                    break;
                case 'H':
                    sb.append(String.format("%02d", t.getHour()));
                    break;
                case 'I':
                    sb.append(String.format("%02d", (t.getHour() + 11) % 12 + 1));
                    break;
                case 'M':
                    sb.append(String.format("%02d", t.getMinute()));
                    break;
                case 'S':
                    sb.append(String.format("%02d", t.getSecond()));
                    break;
                case 'p':
                    sb.append(t.getHour() < 12 ? "AM" : "PM");
                    break;
                case 'j':
                    sb.append(String.format("%03d", t.getDayOfYear()));
                    break;
                case 'B':
                    sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                    break;
                case 'b':
                    sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                    break;
                case 'A':
                    sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                    break;
                case 'a':
                    sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                    break;
                case '%':
                    sb.append('%');
                    break;
                default:
                    sb.append('%').append(d);
            }
        }
        return sb.toString();
    }

    /** {@code x | tojson} / {@code x | tojson(indent)} as transformers defines it (json.dumps, ensure_ascii=False). */
    static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            int indent =
                    args.length > 0 && args[0] != null && !args[0].isEmpty() ? Integer.parseInt(args[0].trim()) : -1;
            StringBuilder sb = new StringBuilder();
            write(sb, var, indent, 0);
            return sb.toString();
        }

        private static void write(StringBuilder sb, Object v, int indent, int depth) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Boolean || v instanceof Number) {
                sb.append(v);
            } else if (v instanceof Map) {
                Map<?, ?> m = (Map<?, ?>) v;
                if (m.isEmpty()) {
                    sb.append("{}");
                    return;
                }
                sb.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    separator(sb, i++ > 0, indent, depth + 1);
                    string(sb, String.valueOf(e.getKey()));
                    sb.append(": ");
                    write(sb, e.getValue(), indent, depth + 1);
                }
                close(sb, '}', indent, depth);
            } else if (v instanceof Iterable) {
                int i = 0;
                sb.append('[');
                for (Object e : (Iterable<?>) v) {
                    separator(sb, i++ > 0, indent, depth + 1);
                    write(sb, e, indent, depth + 1);
                }
                if (i == 0) {
                    sb.append(']');
                    return;
                }
                close(sb, ']', indent, depth);
            } else {
                string(sb, v.toString());
            }
        }

        private static void separator(StringBuilder sb, boolean comma, int indent, int depth) {
            if (comma) {
                sb.append(indent >= 0 ? "," : ", ");
            }
            if (indent >= 0) {
                sb.append('\n').append(" ".repeat(indent * depth));
            }
        }

        private static void close(StringBuilder sb, char bracket, int indent, int depth) {
            if (indent >= 0) {
                sb.append('\n').append(" ".repeat(indent * depth));
            }
            sb.append(bracket);
        }

        private static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"':
                        sb.append("\\\"");
                        break;
                    case '\\':
                        sb.append("\\\\");
                        break;
                    case '\n':
                        sb.append("\\n");
                        break;
                    case '\r':
                        sb.append("\\r");
                        break;
                    case '\t':
                        sb.append("\\t");
                        break;
                    case '\b':
                        sb.append("\\b");
                        break;
                    case '\f':
                        sb.append("\\f");
                        break;
                    default:
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                }
            }
            sb.append('"');
        }
    }
}
