package io.moescope.viz.export;

import java.util.Locale;

/** Accumulates SVG markup with escaped text and compact numbers. */
final class SvgWriter {

    private final StringBuilder svg = new StringBuilder(4096);

    SvgWriter(double width, double height, String background) {
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(num(width))
                .append("\" height=\"")
                .append(num(height))
                .append("\" viewBox=\"0 0 ")
                .append(num(width))
                .append(' ')
                .append(num(height))
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        rect(0, 0, width, height, background);
    }

    SvgWriter rect(double x, double y, double w, double h, String fill) {
        svg.append("<rect x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" width=\"")
                .append(num(w))
                .append("\" height=\"")
                .append(num(h))
                .append("\" fill=\"")
                .append(fill)
                .append("\"/>\n");
        return this;
    }

    SvgWriter outline(double x, double y, double w, double h, String stroke) {
        svg.append("<rect x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" width=\"")
                .append(num(w))
                .append("\" height=\"")
                .append(num(h))
                .append("\" fill=\"none\" stroke=\"")
                .append(stroke)
                .append("\" stroke-width=\"1.5\"/>\n");
        return this;
    }

    SvgWriter line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
        svg.append("<line x1=\"")
                .append(num(x1))
                .append("\" y1=\"")
                .append(num(y1))
                .append("\" x2=\"")
                .append(num(x2))
                .append("\" y2=\"")
                .append(num(y2))
                .append("\" stroke=\"")
                .append(stroke)
                .append(dashed ? "\" stroke-dasharray=\"6 4\"/>\n" : "\"/>\n");
        return this;
    }

    /** Text anchored "start", "middle" or "end", vertically centred on y. */
    SvgWriter text(double x, double y, String anchor, String fill, String text) {
        svg.append("<text x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" text-anchor=\"")
                .append(anchor)
                .append("\" dominant-baseline=\"middle\" fill=\"")
                .append(fill)
                .append("\">")
                .append(escape(text))
                .append("</text>\n");
        return this;
    }

    /** Starts a {@code <g class="...">}, labelled with {@code title} for tools that list groups (if not empty). */
    SvgWriter openGroup(String styleClass, String title) {
        svg.append("<g class=\"").append(escape(styleClass)).append('"');
        if (!title.isEmpty()) {
            svg.append(" aria-label=\"").append(escape(title)).append('"');
        }
        svg.append(">\n");
        return this;
    }

    SvgWriter closeGroup() {
        svg.append("</g>\n");
        return this;
    }

    /** A bold block title, left-aligned at x, vertically centred on y. */
    SvgWriter title(double x, double y, String fill, String text) {
        svg.append("<text class=\"block-title\" x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" dominant-baseline=\"middle\" font-weight=\"bold\" font-size=\"12\" fill=\"")
                .append(fill)
                .append("\">")
                .append(escape(text))
                .append("</text>\n");
        return this;
    }

    /** An embedded PNG stretched to the box without smoothing. */
    SvgWriter image(double x, double y, double w, double h, String base64Png) {
        svg.append("<image x=\"")
                .append(num(x))
                .append("\" y=\"")
                .append(num(y))
                .append("\" width=\"")
                .append(num(w))
                .append("\" height=\"")
                .append(num(h))
                .append(
                        "\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,")
                .append(base64Png)
                .append("\"/>\n");
        return this;
    }

    String finish() {
        return svg.append("</svg>\n").toString();
    }

    static String num(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '&':
                    out.append("&amp;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                default:
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
            }
        }
        return out.toString();
    }
}
