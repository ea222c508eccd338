package io.moescope.app.teach;

import io.moescope.app.teach.WalkStep.Bars;
import io.moescope.app.teach.WalkStep.Strip;
import io.moescope.viz.color.ColorScale;
import io.moescope.viz.color.Palettes;
import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Draws one walkthrough step: each bar group as one bar per expert (chosen ones outlined and marked ▲, masked
 * ones faded), then each vector as a heat strip (diverging blue–white–orange around 0, which is colour-blind safe).
 * Bars take the workspace's sequential palette. In presentation mode fonts and marks are larger and the bar under
 * the pointer is highlighted with its value.
 */
public final class StepCanvas extends Region {

    private final Canvas canvas = new Canvas();
    private final ObjectProperty<WalkStep> step = new SimpleObjectProperty<>(this, "step");
    private final ObjectProperty<ColorScale> palette = new SimpleObjectProperty<>(this, "palette", Palettes.viridis());
    private final BooleanProperty light = new SimpleBooleanProperty(this, "light");
    private final BooleanProperty presenting = new SimpleBooleanProperty(this, "presenting");
    private final ColorScale diverging = Palettes.blueOrange();
    private double pointerX = -1;
    private double pointerY = -1;

    public StepCanvas() {
        getStyleClass().add("step-canvas");
        getChildren().add(canvas);
        step.addListener((obs, o, n) -> paint());
        palette.addListener((obs, o, n) -> paint());
        light.addListener((obs, o, n) -> paint());
        presenting.addListener((obs, o, n) -> paint());
        setOnMouseMoved(e -> {
            pointerX = e.getX();
            pointerY = e.getY();
            if (presenting.get()) {
                paint();
            }
        });
        setOnMouseExited(e -> {
            pointerX = -1;
            paint();
        });
        setMinSize(200, 120);
        setPrefSize(800, 480);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(Math.max(1, getWidth()));
        canvas.setHeight(Math.max(1, getHeight()));
        paint();
    }

    private void paint() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        WalkStep s = step.get();
        if (s == null) {
            return;
        }
        int groups = s.bars().size() + s.strips().size();
        if (groups == 0) {
            return;
        }
        boolean big = presenting.get();
        double font = big ? 22 : 12;
        double gap = big ? 18 : 10;
        double stripH = big ? 48 : 26;
        double stripTotal = s.strips().size() * (stripH + font + gap);
        double barTotal = Math.max(0, h - stripTotal - gap);
        double barH = s.bars().isEmpty() ? 0 : barTotal / s.bars().size();
        double y = 0;
        for (Bars b : s.bars()) {
            drawBars(g, b, 0, y, w, barH - gap, font, big);
            y += barH;
        }
        for (Strip st : s.strips()) {
            drawStrip(g, st, 0, y, w, stripH, font);
            y += stripH + font + gap;
        }
    }

    private Color text() {
        return light.get() ? Color.web("#111111") : Color.web("#f2f2f2");
    }

    private void drawBars(
            GraphicsContext g, Bars b, double x0, double y0, double w, double h, double font, boolean big) {
        g.setFont(Font.font("System", FontWeight.BOLD, font));
        g.setFill(text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(b.label(), x0 + 4, y0);
        double top = y0 + font * 2.8; // the title, then room for the tallest bar's value
        double labels = font * 1.5;
        double plotH = Math.max(10, h - (top - y0) - labels);
        double min = 0;
        double max = 0;
        for (int i = 0; i < b.size(); i++) {
            float v = b.value(i);
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double span = max - min == 0 ? 1 : max - min;
        double zeroY = top + plotH * (max / span);
        double slot = (w - 8) / b.size();
        double barW = Math.max(1, slot * 0.78);
        double line = big ? 5 : 2;
        int hover = -1;
        g.setStroke(text().deriveColor(0, 1, 1, 0.5));
        g.setLineWidth(1);
        g.strokeLine(x0 + 4, zeroY, x0 + w - 4, zeroY);
        for (int i = 0; i < b.size(); i++) {
            double x = x0 + 4 + i * slot + (slot - barW) / 2;
            float v = b.value(i);
            double len = Float.isFinite(v) ? plotH * Math.abs(v) / span : 0;
            double y = v >= 0 ? zeroY - len : zeroY;
            boolean chosen = b.isChosen(i);
            Color fill = argb(palette.get().argb(chosen ? 0.9 : 0.35));
            if (b.isMasked(i)) {
                fill = fill.deriveColor(0, 0.2, 1, 0.25);
            }
            if (pointerX >= x0 + 4 + i * slot
                    && pointerX < x0 + 4 + (i + 1) * slot
                    && pointerY >= y0
                    && pointerY < y0 + h) {
                hover = i;
                g.setFill(text().deriveColor(0, 1, 1, 0.18));
                g.fillRect(x0 + 4 + i * slot, top, slot, plotH);
            }
            g.setFill(fill);
            g.fillRect(x, y, barW, Math.max(1, len));
            if (chosen) {
                g.setStroke(text());
                g.setLineWidth(line);
                g.strokeRect(x, y, barW, Math.max(1, len));
                g.setFill(text());
                g.setTextAlign(TextAlignment.CENTER);
                g.setTextBaseline(VPos.BOTTOM);
                g.setFont(Font.font("System", FontWeight.BOLD, font));
                g.fillText("▲", x + barW / 2, top + plotH + labels + font * 0.2);
            }
            if (slot >= font * 2.2 || chosen || b.size() <= 16) {
                g.setFill(text());
                g.setTextAlign(TextAlignment.CENTER);
                g.setTextBaseline(VPos.TOP);
                g.setFont(Font.font("System", chosen ? FontWeight.BOLD : FontWeight.NORMAL, font * 0.85));
                if (slot >= font * 2.2 || chosen) {
                    g.fillText(b.name(i), x + barW / 2, top + plotH + 2);
                }
                if (b.size() <= 16 || chosen) {
                    g.setTextBaseline(VPos.BOTTOM); // negative bars: the value sits above the zero line
                    g.fillText(format(v), x + barW / 2, v >= 0 ? y - 2 : zeroY - 2);
                }
            }
        }
        if (hover >= 0) {
            g.setFill(text());
            g.setTextAlign(TextAlignment.RIGHT);
            g.setTextBaseline(VPos.TOP);
            g.setFont(Font.font("System", FontWeight.BOLD, font));
            g.fillText(b.name(hover) + " = " + format(b.value(hover)), x0 + w - 6, y0);
        }
    }

    private void drawStrip(GraphicsContext g, Strip s, double x0, double y0, double w, double h, double font) {
        g.setFont(Font.font("System", FontWeight.BOLD, font));
        g.setFill(text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(String.format(Locale.ROOT, "%s   ‖·‖ = %.3f", s.label(), s.norm()), x0 + 4, y0);
        double top = y0 + font * 1.3;
        double max = 0;
        for (int i = 0; i < s.size(); i++) {
            max = Math.max(max, Math.abs(s.value(i)));
        }
        double cell = (w - 8) / Math.max(1, s.size());
        for (int i = 0; i < s.size(); i++) {
            double t = max == 0 ? 0.5 : 0.5 + 0.5 * s.value(i) / max;
            g.setFill(argb(diverging.argb(t)));
            g.fillRect(x0 + 4 + i * cell, top, Math.ceil(cell), h);
        }
        g.setStroke(text().deriveColor(0, 1, 1, 0.6));
        g.setLineWidth(presenting.get() ? 3 : 1);
        g.strokeRect(x0 + 4, top, w - 8, h);
    }

    static String format(float v) {
        return Math.abs(v) >= 100 || (v != 0 && Math.abs(v) < 0.001)
                ? String.format(Locale.ROOT, "%.2e", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    private static Color argb(int c) {
        return Color.rgb((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff, ((c >>> 24) & 0xff) / 255.0);
    }

    public ObjectProperty<WalkStep> stepProperty() {
        return step;
    }

    public ObjectProperty<ColorScale> paletteProperty() {
        return palette;
    }

    public BooleanProperty lightProperty() {
        return light;
    }

    public BooleanProperty presentingProperty() {
        return presenting;
    }
}
