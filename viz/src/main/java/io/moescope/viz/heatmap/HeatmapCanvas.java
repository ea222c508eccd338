package io.moescope.viz.heatmap;

import io.moescope.viz.color.ColorScale;
import io.moescope.viz.color.Palettes;
import io.moescope.viz.data.HeatmapSnapshot;
import io.moescope.viz.data.TitledHeatmap;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.CssMetaData;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;

/**
 * A resizable, scrollable heatmap of one {@link HeatmapSnapshot}, or of several stacked vertically
 * with a title each ({@link #stackedProperty()}, shown instead of the single snapshot when not
 * empty). FX thread only.
 *
 * <p>A new snapshot only requests layout, so several updates within one pulse paint once. Painting
 * touches only the visible rows (one pixel per cell into an image scaled up unsmoothed), so cost is
 * proportional to what is on screen, not to the grid. A single grid that grows row by row (snapshots of
 * one {@link HeatmapSnapshot#lineage() lineage}, from {@link io.moescope.viz.data.HeatmapRows}) is drawn
 * on a band of rows that scrolling moves: each frame draws only the rows that are new on screen. With {@link #followTailProperty()} on, the
 * view stays scrolled to the last row as rows are appended; scrolling up with the wheel turns it
 * off and scrolling back to the bottom turns it on again.
 *
 * <pre>{@code
 * HeatmapCanvas heatmap = new HeatmapCanvas();
 * heatmap.snapshotProperty().bind(viewModel.heatmapProperty());
 * heatmap.setColorScale(Palettes.viridis());
 * heatmap.setOnCellClicked(cell -> viewModel.select(cell.row()));
 * }</pre>
 *
 * <p>CSS: style class {@code heatmap-canvas}; {@code -viz-text-fill} (labels, titles) and
 * {@code -viz-mark-color} (outline of marked cells); see {@code viz.css}.
 */
public class HeatmapCanvas extends Region {

    private static final StyleablePropertyFactory<HeatmapCanvas> CSS =
            new StyleablePropertyFactory<>(Region.getClassCssMetaData());

    private final Canvas canvas = new Canvas(); // everything, or only the header over a row band
    private final HeatmapPainter painter = new HeatmapPainter();
    private final HeatmapRowBand band = new HeatmapRowBand();
    private final Pane rowArea = new Pane(band.canvas()); // the scrolling area under the header, clipped
    private final Rectangle rowClip = new Rectangle();
    private final Rectangle thumb = new Rectangle(4, 12);
    private Object headerLook; // what the header canvas shows in band mode
    private final LabelFitter labels = new LabelFitter(Font.font(11));
    private final LabelFitter titles =
            new LabelFitter(Font.font(Font.getDefault().getFamily(), FontWeight.BOLD, 12));
    private final HeatmapPointer pointer = new HeatmapPointer(this);

    private final ObjectProperty<HeatmapSnapshot> snapshot =
            new SimpleObjectProperty<>(this, "snapshot", HeatmapSnapshot.EMPTY);
    private final ObjectProperty<List<TitledHeatmap>> stacked = new SimpleObjectProperty<>(this, "stacked", List.of());
    private final ObjectProperty<ColorScale> colorScale =
            new SimpleObjectProperty<>(this, "colorScale", Palettes.viridis());
    private final BooleanProperty followTail = new SimpleBooleanProperty(this, "followTail", true);
    private final DoubleProperty scrollY = new SimpleDoubleProperty(this, "scrollY", 0);
    private final DoubleProperty minRowHeight = new SimpleDoubleProperty(this, "minRowHeight", 3);
    private final DoubleProperty maxRowHeight = new SimpleDoubleProperty(this, "maxRowHeight", 22);
    private final ObjectProperty<List<Color>> rowTagColors =
            new SimpleObjectProperty<>(this, "rowTagColors", List.of(Color.web("#56b4e9"), Color.web("#e69f00")));
    private final ObjectProperty<Function<HeatmapCell, String>> tooltipFormatter =
            new SimpleObjectProperty<>(this, "tooltipFormatter", HeatmapCell::describe);
    final ReadOnlyObjectWrapper<HeatmapCell> hoveredCell = new ReadOnlyObjectWrapper<>(this, "hoveredCell");
    final ReadOnlyObjectWrapper<HeatmapCell> clickedCell = new ReadOnlyObjectWrapper<>(this, "clickedCell");
    private final ObjectProperty<Consumer<HeatmapCell>> onCellClicked =
            new SimpleObjectProperty<>(this, "onCellClicked", cell -> {});
    private final StyleableProperty<Color> textFill = CSS.createStyleableColorProperty(
            this, "textFill", "-viz-text-fill", node -> node.textFill, Color.web("#d8dee9"));
    private final StyleableProperty<Color> markColor =
            CSS.createStyleableColorProperty(this, "markColor", "-viz-mark-color", node -> node.markColor, Color.WHITE);

    private HeatmapLayout layout;
    private long paintedCellCount;
    private long paintCount;
    private boolean laidOutScroll; // guards the scrollY write-back from layoutChildren

    public HeatmapCanvas() {
        getStyleClass().add("heatmap-canvas");
        rowArea.setClip(rowClip);
        rowArea.setManaged(false);
        rowArea.setVisible(false);
        rowArea.setMouseTransparent(true);
        thumb.setManaged(false);
        thumb.setVisible(false);
        thumb.setMouseTransparent(true);
        thumb.setArcWidth(4);
        thumb.setArcHeight(4);
        getChildren().addAll(canvas, rowArea, thumb);
        setMinSize(0, 0);
        setPrefSize(480, 320);
        for (javafx.beans.Observable input : List.of(
                snapshot,
                stacked,
                colorScale,
                followTail,
                minRowHeight,
                maxRowHeight,
                rowTagColors,
                (javafx.beans.Observable) textFill,
                (javafx.beans.Observable) markColor)) {
            input.addListener(obs -> requestLayout());
        }
        scrollY.addListener(obs -> {
            if (!laidOutScroll) {
                requestLayout();
            }
        });
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth() - snappedLeftInset() - snappedRightInset());
        double h = snapSizeY(getHeight() - snappedTopInset() - snappedBottomInset());
        List<TitledHeatmap> blocks = blocks();
        layout = new HeatmapLayout(
                blocks,
                Math.max(0, w),
                Math.max(0, h),
                metrics(blocks),
                getMinRowHeight(),
                Math.max(getMinRowHeight(), getMaxRowHeight()),
                getScrollY(),
                isFollowTail());
        laidOutScroll = true;
        scrollY.set(layout.scroll());
        laidOutScroll = false;
        HeatmapStyle style = new HeatmapStyle(
                getColorScale(), labels, titles, textFill.getValue(), markColor.getValue(), rowTagColors.get());
        canvas.relocate(snappedLeftInset(), snappedTopInset());
        canvas.setWidth(layout.width());
        if (paintsRowBand(blocks)) {
            paintedCellCount = paintBand(blocks.get(0).snapshot(), style);
        } else {
            band.reset();
            headerLook = null;
            rowArea.setVisible(false);
            thumb.setVisible(false);
            canvas.setHeight(Math.max(0, h));
            paintedCellCount = painter.paint(canvas.getGraphicsContext2D(), layout, blocks, style);
        }
        paintCount++;
    }

    /**
     * A single growing heatmap (snapshots of one lineage) is drawn as a band of rows that is moved, not repainted
     * ({@link HeatmapRowBand}): a frame draws only the new rows; the canvas keeps the header.
     */
    private static boolean paintsRowBand(List<TitledHeatmap> blocks) {
        return blocks.size() == 1
                && blocks.get(0).title().isEmpty()
                && blocks.get(0).snapshot().lineage() != null
                && !blocks.get(0).snapshot().isEmpty();
    }

    private long paintBand(HeatmapSnapshot s, HeatmapStyle style) {
        canvas.setHeight(layout.contentTop());
        Object look = List.of(
                s.colLabels(),
                s.cols(),
                layout.width(),
                layout.plotLeft(),
                layout.plotWidth(),
                layout.contentTop(),
                style);
        if (!look.equals(headerLook)) {
            painter.paintHeaderOnly(canvas.getGraphicsContext2D(), layout, s, style);
            headerLook = look;
        }
        rowArea.setVisible(true);
        rowArea.resizeRelocate(
                snappedLeftInset(), snappedTopInset() + layout.contentTop(), layout.width(), layout.viewHeight());
        rowClip.setWidth(layout.width());
        rowClip.setHeight(layout.viewHeight());
        long cells = band.update(layout, s, style, isFollowTail());
        band.canvas().relocate(0, band.offset());
        boolean scrolls = layout.maxScroll() > 0 && layout.contentHeight() > 0;
        thumb.setVisible(scrolls);
        if (scrolls) {
            double track = layout.viewHeight();
            double size = Math.max(12, track * track / layout.contentHeight());
            thumb.setHeight(size);
            thumb.setFill(textFill.getValue().deriveColor(0, 1, 1, 0.35));
            thumb.relocate(
                    snappedLeftInset() + layout.width() - 5,
                    snappedTopInset() + layout.contentTop() + (track - size) * layout.scroll() / layout.maxScroll());
        }
        return cells;
    }

    /** The blocks on screen: the stacked list, or the single snapshot as one untitled block. */
    List<TitledHeatmap> blocks() {
        List<TitledHeatmap> list = stacked.get();
        return list == null || list.isEmpty() ? List.of(new TitledHeatmap("", getSnapshot())) : list;
    }

    private HeatmapMetrics metrics(List<TitledHeatmap> blocks) {
        int longestRowLabel = 0;
        boolean colLabels = false;
        boolean tags = false;
        for (TitledHeatmap block : blocks) {
            longestRowLabel = Math.max(longestRowLabel, block.snapshot().longestRowLabel());
            colLabels |= !block.snapshot().colLabels().isEmpty();
            tags |= block.snapshot().hasRowTags();
        }
        double rowLabelWidth = longestRowLabel == 0 ? 2 : Math.min(140, labels.width(longestRowLabel) + 8);
        return new HeatmapMetrics(
                rowLabelWidth, tags ? 6 : 0, colLabels ? labels.lineHeight() + 6 : 0, titles.lineHeight() + 6, 10, 7);
    }

    /** The cell under a point in this node's coordinates, if any. Uses the last layout. */
    public Optional<HeatmapCell> cellAt(double x, double y) {
        if (layout == null) {
            return Optional.empty();
        }
        int[] hit = layout.cellAt(x - snappedLeftInset(), y - snappedTopInset());
        if (hit == null) {
            return Optional.empty();
        }
        TitledHeatmap block = blocks().get(hit[0]);
        HeatmapSnapshot s = block.snapshot();
        return Optional.of(new HeatmapCell(
                hit[0],
                hit[1],
                hit[2],
                s.value(hit[1], hit[2]),
                s.rowLabel(hit[1]),
                s.colLabel(hit[2]),
                block.title()));
    }

    /** Scrolls by a number of pixels (positive = towards the last row); follows the tail at the bottom. */
    public void scrollBy(double pixels) {
        if (layout == null) {
            return;
        }
        double target = Math.max(0, Math.min(layout.maxScroll(), layout.scroll() + pixels));
        setFollowTail(target >= layout.maxScroll() - 0.5);
        setScrollY(target);
    }

    /** The node as it looks now, as an image (for PNG export). */
    public WritableImage toImage() {
        return snapshot(null, null);
    }

    /** Uninstalls the tooltip and drops cached images. Call when the node is thrown away. */
    public void dispose() {
        pointer.dispose();
        getChildren().clear();
    }

    /**
     * Cells written by the last paint: {@link #getVisibleCellCount()} after a full paint, only the rows new on
     * screen when a growing grid's band was extended.
     */
    public long getPaintedCellCount() {
        return paintedCellCount;
    }

    /** How many times this node has painted (several property changes in one pulse paint once). */
    public long getPaintCount() {
        return paintCount;
    }

    /** Cells at least partly visible in the last layout. */
    public long getVisibleCellCount() {
        return layout == null ? 0 : layout.visibleCellCount();
    }

    /** Largest scrollY for the last layout (0 when everything fits). */
    public double getMaxScrollY() {
        return layout == null ? 0 : layout.maxScroll();
    }

    /** Height of one row in pixels in the last layout. */
    public double getRowHeight() {
        return layout == null ? 0 : layout.rowHeight();
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return getClassCssMetaData();
    }

    // --- properties -------------------------------------------------------------------------

    public ObjectProperty<HeatmapSnapshot> snapshotProperty() {
        return snapshot;
    }

    public HeatmapSnapshot getSnapshot() {
        return snapshot.get();
    }

    public void setSnapshot(HeatmapSnapshot value) {
        snapshot.set(value == null ? HeatmapSnapshot.EMPTY : value);
    }

    /** Blocks drawn stacked with titles; when not empty they replace the single snapshot. */
    public ObjectProperty<List<TitledHeatmap>> stackedProperty() {
        return stacked;
    }

    public void setStacked(List<TitledHeatmap> value) {
        stacked.set(value == null ? List.of() : List.copyOf(value));
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

    /** Keep the last row in view as rows are added. Default true. */
    public BooleanProperty followTailProperty() {
        return followTail;
    }

    public boolean isFollowTail() {
        return followTail.get();
    }

    public void setFollowTail(boolean value) {
        followTail.set(value);
    }

    /** Pixels scrolled from the top of the content; clamped by layout. */
    public DoubleProperty scrollYProperty() {
        return scrollY;
    }

    public double getScrollY() {
        return scrollY.get();
    }

    public void setScrollY(double value) {
        scrollY.set(value);
    }

    /** Rows never get thinner than this (then the view scrolls). Default 3 px. */
    public DoubleProperty minRowHeightProperty() {
        return minRowHeight;
    }

    public double getMinRowHeight() {
        return minRowHeight.get();
    }

    public void setMinRowHeight(double value) {
        minRowHeight.set(value);
    }

    /** Rows never get taller than this, however few there are. Default 22 px. */
    public DoubleProperty maxRowHeightProperty() {
        return maxRowHeight;
    }

    public double getMaxRowHeight() {
        return maxRowHeight.get();
    }

    public void setMaxRowHeight(double value) {
        maxRowHeight.set(value);
    }

    /** Stripe colour for row tag t is element (t - 1) mod size; tag 0 has no stripe. */
    public ObjectProperty<List<Color>> rowTagColorsProperty() {
        return rowTagColors;
    }

    /** Text of the hover tooltip; default {@link HeatmapCell#describe()}. */
    public ObjectProperty<Function<HeatmapCell, String>> tooltipFormatterProperty() {
        return tooltipFormatter;
    }

    public void setTooltipFormatter(Function<HeatmapCell, String> value) {
        tooltipFormatter.set(value);
    }

    /** The cell under the pointer, or null. */
    public ReadOnlyObjectProperty<HeatmapCell> hoveredCellProperty() {
        return hoveredCell.getReadOnlyProperty();
    }

    /** The cell last clicked, or null. */
    public ReadOnlyObjectProperty<HeatmapCell> clickedCellProperty() {
        return clickedCell.getReadOnlyProperty();
    }

    /** Called on the FX thread with each clicked cell. */
    public ObjectProperty<Consumer<HeatmapCell>> onCellClickedProperty() {
        return onCellClicked;
    }

    public void setOnCellClicked(Consumer<HeatmapCell> value) {
        onCellClicked.set(value == null ? cell -> {} : value);
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> textFillProperty() {
        return (ObjectProperty<Color>) textFill;
    }

    @SuppressWarnings("unchecked")
    public ObjectProperty<Color> markColorProperty() {
        return (ObjectProperty<Color>) markColor;
    }

    Function<HeatmapCell, String> tooltipFormatter() {
        return tooltipFormatter.get();
    }

    Consumer<HeatmapCell> cellClickHandler() {
        return onCellClicked.get();
    }
}
