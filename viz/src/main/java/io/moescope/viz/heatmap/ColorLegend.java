package io.moescope.viz.heatmap;

import io.moescope.viz.color.ColorScale;
import io.moescope.viz.color.Palettes;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

/**
 * A vertical colour bar for a {@link ColorScale} with ticks at min, middle and max, and an optional
 * title above. Bind it to the heatmap it explains. FX thread only.
 *
 * <pre>{@code
 * ColorLegend legend = new ColorLegend();
 * legend.colorScaleProperty().bind(heatmap.colorScaleProperty());
 * legend.setRange(snapshot.min(), snapshot.max());
 * }</pre>
 *
 * <p>CSS: style class {@code color-legend}; {@code -viz-text-fill} for ticks and title.
 */
public class ColorLegend extends Region {

    private static final StyleablePropertyFactory<ColorLegend> CSS =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());
    private static final double BAR_WIDTH = 14;
    private static final int STEPS = 256;

    private final Canvas canvas = new Canvas();
    private final WritableImage ramp = new WritableImage(1, STEPS); // top row = max
    private final Font font = Font.font(11);
    private final ObjectProperty<ColorScale> colorScale =
            new SimpleObjectProperty<>(this, "colorScale", Palettes.viridis());
    private final DoubleProperty min = new SimpleDoubleProperty(this, "min", 0);
    private final DoubleProperty max = new SimpleDoubleProperty(this, "max", 1);
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StyleableProperty<Color> textFill = CSS.createStyleableColorProperty(
            this, "textFill", "-viz-text-fill", node -> node.textFill, Color.web("#d8dee9"));

    public ColorLegend() {
        getStyleClass().add("color-legend");
        getChildren().add(canvas);
        setPrefSize(64, 200);
        setMinWidth(48);
        colorScale.addListener(obs -> requestLayout());
        min.addListener(obs -> requestLayout());
        max.addListener(obs -> requestLayout());
        title.addListener(obs -> requestLayout());
        ((javafx.beans.Observable) textFill).addListener(obs -> requestLayout());
    }

    @Override
    protected void layoutChildren() {
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        canvas.setWidth(Math.max(0, snapSizeX(getWidth() - snappedLeftInset() - snappedRightInset())));
        canvas.setHeight(Math.max(0, snapSizeY(getHeight() - snappedTopInset() - snappedBottomInset())));
        paint();
    }

    private void paint() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        double top = getTitle().isEmpty() ? 7 : 24;
        double barHeight = h - top - 7;
        if (barHeight <= 2 || w < BAR_WIDTH) {
            return;
        }
        ColorScale scale = getColorScale();
        for (int i = 0; i < STEPS; i++) {
            ramp.getPixelWriter().setArgb(0, i, scale.argb(1.0 - i / (STEPS - 1.0)));
        }
        g.setImageSmoothing(false); // smoothing blends the transparent edge into the end colours
        g.drawImage(ramp, 0, 0, 1, STEPS, 1, top, BAR_WIDTH, barHeight);
        Color text = textFill.getValue();
        g.setStroke(text.deriveColor(0, 1, 1, 0.5));
        g.setLineWidth(1);
        g.strokeRect(0.5, top - 0.5, BAR_WIDTH + 1, barHeight + 1);
        g.setFont(font);
        g.setFill(text);
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        double[] fractions = {1, 0.5, 0};
        for (double f : fractions) {
            double y = top + (1 - f) * barHeight;
            g.strokeLine(BAR_WIDTH + 2, y, BAR_WIDTH + 5, y);
            g.fillText(format(getMin() + f * (getMax() - getMin())), BAR_WIDTH + 7, y);
        }
        if (!getTitle().isEmpty()) {
            g.setTextBaseline(VPos.TOP);
            g.fillText(getTitle(), 0, 2);
        }
    }

    /** Tick text: up to three significant digits, no exponent for ordinary magnitudes. */
    static String format(double value) {
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e5)) {
            return String.format("%.2e", value);
        }
        String text = String.format("%.3f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    /** Sets min and max together. */
    public void setRange(double minValue, double maxValue) {
        min.set(minValue);
        max.set(maxValue);
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return getClassCssMetaData();
    }

    public ObjectProperty<ColorScale> colorScaleProperty() {
        return colorScale;
    }

    public ColorScale getColorScale() {
        return colorScale.get();
    }

    public void setColorScale(ColorScale value) {
        colorScale.set(value);
    }

    public DoubleProperty minProperty() {
        return min;
    }

    public double getMin() {
        return min.get();
    }

    public DoubleProperty maxProperty() {
        return max;
    }

    public double getMax() {
        return max.get();
    }

    /** Text above the bar, e.g. "gate weight"; empty for none. */
    public StringProperty titleProperty() {
        return title;
    }

    public String getTitle() {
        return title.get();
    }

    public void setTitle(String value) {
        title.set(value == null ? "" : value);
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> textFillProperty() {
        return (ObjectProperty<Color>) textFill;
    }
}
