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
        open("rect").box(x, y, w, h).attr("fill", fill);
        svg.append("/>\n");
        return this;
    }

    SvgWriter outline(double x, double y, double w, double h, String stroke) {
        open("rect").box(x, y, w, h).attr("fill", "none").attr("stroke", stroke).attr("stroke-width", "1.5");
        svg.append("/>\n");
        return this;
    }

    SvgWriter line(double x1, double y1, double x2, double y2, String stroke, boolean dashed) {
        open("line").attr("x1", x1).attr("y1", y1).attr("x2", x2).attr("y2", y2).attr("stroke", stroke);
        if (dashed) {
            attr("stroke-dasharray", "6 4");
        }
        svg.append("/>\n");
        return this;
    }

    /** Text anchored "start", "middle" or "end", vertically centred on y. */
    SvgWriter text(double x, double y, String anchor, String fill, String text) {
        open("text")
                .attr("x", x)
                .attr("y", y)
                .attr("text-anchor", anchor)
                .attr("dominant-baseline", "middle")
                .attr("fill", fill);
        svg.append('>').append(escape(text)).append("</text>\n");
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
        open("text")
                .attr("class", "block-title")
                .attr("x", x)
                .attr("y", y)
                .attr("dominant-baseline", "middle")
                .attr("font-weight", "bold")
                .attr("font-size", "12")
                .attr("fill", fill);
        svg.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** An embedded PNG stretched to the box without smoothing. */
    SvgWriter image(double x, double y, double w, double h, String base64Png) {
        open("image")
                .box(x, y, w, h)
                .attr("preserveAspectRatio", "none")
                .attr("style", "image-rendering:pixelated")
                .attr("href", "data:image/png;base64," + base64Png);
        svg.append("/>\n");
        return this;
    }

    private SvgWriter open(String element) {
        svg.append('<').append(element);
        return this;
    }

    /** The x, y, width and height attributes of a box. */
    private SvgWriter box(double x, double y, double w, double h) {
        return attr("x", x).attr("y", y).attr("width", w).attr("height", h);
    }

    private SvgWriter attr(String name, double value) {
        return attr(name, num(value));
    }

    /** {@code  name="value"}; the value is the caller's markup (colours, numbers, data URLs), not escaped. */
    private SvgWriter attr(String name, String value) {
        svg.append(' ').append(name).append("=\"").append(value).append('"');
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
