package io.moescope.viz.bars;

import io.moescope.viz.data.BarsSnapshot;
import java.util.List;
import java.util.OptionalInt;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A simple resizable bar chart of one {@link BarsSnapshot}: bars from zero, highlighted bars in
 * their own colour, an optional dashed reference line (e.g. the mean) with a label, and bar labels
 * thinned automatically when crowded. FX thread only; a new snapshot repaints once per pulse.
 *
 * <pre>{@code
 * BarChartCanvas load = new BarChartCanvas();
 * load.setReferenceLabel("mean");
 * load.setBars(BarsSnapshot.of(tokensPerExpert, expertNames).withHighlighted(3).withMeanReference());
 * }</pre>
 *
 * <p>CSS: style class {@code bar-chart-canvas}; {@code -viz-text-fill}, {@code -viz-bar-color},
 * {@code -viz-bar-highlight-color}, {@code -viz-reference-color}.
 */
public class BarChartCanvas extends Region {

    private static final StyleablePropertyFactory<BarChartCanvas> CSS =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());

    private final Canvas canvas = new Canvas();
    private final BarPainter painter = new BarPainter();
    private final ObjectProperty<BarsSnapshot> bars = new SimpleObjectProperty<>(this, "bars", BarsSnapshot.EMPTY);
    private final StringProperty referenceLabel = new SimpleStringProperty(this, "referenceLabel", "");
    private final ReadOnlyIntegerWrapper hoveredBar = new ReadOnlyIntegerWrapper(this, "hoveredBar", -1);
    final StyleableProperty<Color> textFill = CSS.createStyleableColorProperty(
            this, "textFill", "-viz-text-fill", node -> node.textFill, Color.web("#d8dee9"));
    final StyleableProperty<Color> barColor = CSS.createStyleableColorProperty(
            this, "barColor", "-viz-bar-color", node -> node.barColor, Color.web("#56b4e9"));
    final StyleableProperty<Color> highlightColor = CSS.createStyleableColorProperty(
            this, "highlightColor", "-viz-bar-highlight-color", node -> node.highlightColor, Color.web("#e69f00"));
    final StyleableProperty<Color> referenceColor = CSS.createStyleableColorProperty(
            this, "referenceColor", "-viz-reference-color", node -> node.referenceColor, Color.web("#f0e442"));
    private BarGeometry geometry;

    public BarChartCanvas() {
        getStyleClass().add("bar-chart-canvas");
        getChildren().add(canvas);
        setMinSize(0, 0);
        setPrefSize(360, 160);
        for (Observable input : List.of(
                bars,
                referenceLabel,
                (Observable) textFill,
                (Observable) barColor,
                (Observable) highlightColor,
                (Observable) referenceColor)) {
            input.addListener(obs -> requestLayout());
        }
        addEventHandler(
                MouseEvent.MOUSE_MOVED,
                e -> hoveredBar.set(barAt(e.getX(), e.getY()).orElse(-1)));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> hoveredBar.set(-1));
    }

    @Override
    protected void layoutChildren() {
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        canvas.setWidth(Math.max(0, snapSizeX(getWidth() - snappedLeftInset() - snappedRightInset())));
        canvas.setHeight(Math.max(0, snapSizeY(getHeight() - snappedTopInset() - snappedBottomInset())));
        geometry = painter.paint(
                canvas.getGraphicsContext2D(),
                canvas.getWidth(),
                canvas.getHeight(),
                getBars(),
                getReferenceLabel(),
                new BarPainter.Colors(
                        textFill.getValue(),
                        barColor.getValue(),
                        highlightColor.getValue(),
                        referenceColor.getValue(),
                        backgroundColor()));
    }

    /** The first fill of the node's CSS background if it is a plain colour, else null. */
    private Color backgroundColor() {
        javafx.scene.layout.Background background = getBackground();
        if (background == null || background.getFills().isEmpty()) {
            return null;
        }
        return background.getFills().get(0).getFill() instanceof Color c ? c : null;
    }

    /** The bar under a point in this node's coordinates (anywhere in its column), if any. */
    public OptionalInt barAt(double x, double y) {
        if (geometry == null) {
            return OptionalInt.empty();
        }
        int index = geometry.barAt(x - snappedLeftInset(), y - snappedTopInset());
        return index < 0 ? OptionalInt.empty() : OptionalInt.of(index);
    }

    /** The node as it looks now, as an image (for PNG export). */
    public WritableImage toImage() {
        return snapshot(null, null);
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return getClassCssMetaData();
    }

    public ObjectProperty<BarsSnapshot> barsProperty() {
        return bars;
    }

    public BarsSnapshot getBars() {
        return bars.get();
    }

    public void setBars(BarsSnapshot value) {
        bars.set(value == null ? BarsSnapshot.EMPTY : value);
    }

    /** Text drawn before the reference value, e.g. "mean"; empty draws only the value. */
    public StringProperty referenceLabelProperty() {
        return referenceLabel;
    }

    public String getReferenceLabel() {
        return referenceLabel.get();
    }

    public void setReferenceLabel(String value) {
        referenceLabel.set(value == null ? "" : value);
    }

    /** Index of the bar under the pointer, or -1. */
    public ReadOnlyIntegerProperty hoveredBarProperty() {
        return hoveredBar.getReadOnlyProperty();
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> barColorProperty() {
        return (ObjectProperty<Color>) barColor;
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> highlightColorProperty() {
        return (ObjectProperty<Color>) highlightColor;
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> referenceColorProperty() {
        return (ObjectProperty<Color>) referenceColor;
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> textFillProperty() {
        return (ObjectProperty<Color>) textFill;
    }
}
