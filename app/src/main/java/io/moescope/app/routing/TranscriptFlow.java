package io.moescope.app.routing;

import io.moescope.app.routing.TranscriptLines.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import javafx.geometry.Orientation;
import javafx.scene.control.ScrollBar;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

/**
 * A scrolling list of fixed-height transcript lines of which only those on screen exist as nodes: a pool of
 * {@link TranscriptLineNode}s, line i shown by node i mod pool size, so scrolling by a line (or a new line at the
 * end) re-fills one node and moves the others. Unlike a ListView, a growing line list neither re-adds nor
 * re-styles the nodes on screen. Follows the end while scrolled to it. FX thread.
 */
final class TranscriptFlow extends Region {

    private final List<Line> lines = new ArrayList<>();
    private final List<TranscriptLineNode> pool = new ArrayList<>();
    private final Pane sheet = new Pane();
    private final Rectangle clip = new Rectangle();
    private final ScrollBar bar = new ScrollBar();
    private final double lineHeight;
    private final IntConsumer select;
    private boolean followEnd = true;
    private boolean laying;

    TranscriptFlow(double lineHeight, IntConsumer select) {
        this.lineHeight = lineHeight;
        this.select = select;
        bar.setOrientation(Orientation.VERTICAL);
        bar.setMin(0);
        bar.valueProperty().addListener((obs, o, v) -> {
            if (!laying) {
                followEnd = v.doubleValue() >= bar.getMax() - 0.5;
                requestLayout();
            }
        });
        sheet.setClip(clip);
        sheet.setManaged(false);
        getChildren().addAll(sheet, bar);
        setOnScroll(e -> bar.setValue(Math.max(0, Math.min(bar.getMax(), bar.getValue() - e.getDeltaY()))));
        setMinSize(0, 0);
    }

    /** The lines; change them (e.g. with {@link TranscriptLines}), then call {@link #linesChanged()}. */
    List<Line> lines() {
        return lines;
    }

    void linesChanged() {
        requestLayout();
    }

    /** Scrolls so that the last line is at the bottom and keeps it there as lines arrive. */
    void scrollToEnd() {
        followEnd = true;
        requestLayout();
    }

    /** Width a line may fill (without the scroll bar and insets). */
    double lineWidth() {
        double w = getWidth() > 0 ? getWidth() : getPrefWidth();
        return Math.max(0, w - snappedLeftInset() - snappedRightInset() - bar.prefWidth(-1));
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset();
        double top = snappedTopInset();
        double w = Math.max(0, getWidth() - left - snappedRightInset());
        double h = Math.max(0, getHeight() - top - snappedBottomInset());
        double barWidth = bar.prefWidth(-1);
        double content = lines.size() * lineHeight;
        double maxScroll = Math.max(0, content - h);
        laying = true;
        bar.setVisible(maxScroll > 0);
        bar.resizeRelocate(left + w - barWidth, top, barWidth, h);
        bar.setMax(maxScroll);
        bar.setVisibleAmount(maxScroll <= 0 ? 1 : h / content * maxScroll);
        bar.setUnitIncrement(lineHeight);
        bar.setBlockIncrement(Math.max(lineHeight, h - lineHeight));
        if (followEnd || bar.getValue() > maxScroll) {
            bar.setValue(maxScroll);
        }
        laying = false;
        double scroll = bar.getValue();
        sheet.resizeRelocate(left, top, w - barWidth, h);
        clip.setWidth(w - barWidth);
        clip.setHeight(h);
        int size = (int) Math.ceil(h / lineHeight) + 2;
        while (pool.size() < size) {
            TranscriptLineNode node = new TranscriptLineNode(select);
            pool.add(node);
            sheet.getChildren().add(node);
        }
        int first = (int) Math.floor(scroll / lineHeight);
        int end = Math.min(lines.size(), first + size);
        boolean[] used = new boolean[pool.size()];
        for (int i = first; i < end; i++) {
            int slot = i % pool.size();
            TranscriptLineNode node = pool.get(slot);
            used[slot] = true;
            node.show(lines.get(i));
            node.setVisible(true);
            node.autosize();
            node.relocate(0, Math.round(i * lineHeight - scroll));
        }
        for (int slot = 0; slot < pool.size(); slot++) {
            if (!used[slot]) {
                pool.get(slot).setVisible(false);
                pool.get(slot).show(null);
            }
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        return 240;
    }

    @Override
    protected double computePrefHeight(double width) {
        return 200;
    }
}
