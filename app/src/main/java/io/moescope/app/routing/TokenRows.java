package io.moescope.app.routing;

import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.viz.data.HeatmapRows;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A tokens × columns heatmap kept in step with one growing trace: each update appends the positions that arrived
 * since the last one and drops those the store dropped, so a refresh costs O(new tokens × columns) instead of
 * rebuilding every row; the snapshots share the rows' storage ({@link HeatmapRows}). Starts over when the trace
 * does not continue the rows it holds (a new sequence). Row r is {@code view.tokens().get(r)}. One thread.
 */
final class TokenRows {

    /** What one row shows of a token. */
    interface RowFiller {
        /** Writes the token's row into {@code row} and returns the columns to outline. */
        int[] fill(TokenTrace token, float[] row);
    }

    private record RowMax(int position, float max) {}

    private final List<String> colLabels;
    private final RowFiller filler;
    private final boolean rangeFromMax; // [0, max of the shown values], else [0, 1]
    private final float[] row;
    private HeatmapRows rows;
    private final ArrayDeque<Integer> positions = new ArrayDeque<>(); // of the rows, ascending
    private final ArrayDeque<RowMax> maxima = new ArrayDeque<>(); // sliding-window maximum over the rows

    /**
     * @param colLabels    one label per column (their number is the column count)
     * @param filler       what a row shows
     * @param rangeFromMax colour range [0, largest value shown] (at least a positive one), else [0, 1]
     */
    TokenRows(List<String> colLabels, RowFiller filler, boolean rangeFromMax) {
        this.colLabels = List.copyOf(colLabels);
        this.filler = filler;
        this.rangeFromMax = rangeFromMax;
        this.row = new float[colLabels.size()];
        this.rows = new HeatmapRows(colLabels.size(), this.colLabels);
    }

    /** Brings the rows in line with the view and returns them. */
    HeatmapSnapshot update(TraceSnapshot view) {
        List<TokenTrace> tokens = view.tokens();
        if (!positions.isEmpty() && (tokens.isEmpty() || !continues(tokens))) {
            restart();
        }
        if (!tokens.isEmpty()) {
            int firstPosition = tokens.get(0).position();
            int dropped = 0;
            while (!positions.isEmpty() && positions.peekFirst() < firstPosition) {
                positions.pollFirst();
                dropped++;
            }
            rows.dropFirst(dropped);
            while (!maxima.isEmpty() && maxima.peekFirst().position() < firstPosition) {
                maxima.pollFirst();
            }
            int last = positions.isEmpty() ? Integer.MIN_VALUE : positions.peekLast();
            int from = tokens.size();
            while (from > 0 && tokens.get(from - 1).position() > last) {
                from--;
            }
            for (int i = from; i < tokens.size(); i++) {
                append(tokens.get(i));
            }
            if (rows.rows() != tokens.size()) { // gaps that do not line up: rebuild from the view
                restart();
                tokens.forEach(this::append);
            }
        }
        return rows.snapshot(0f, rangeFromMax ? max() : 1f);
    }

    /** Whether the (non-empty) view extends the (non-empty) rows held: it ends no earlier and starts no earlier. */
    private boolean continues(List<TokenTrace> tokens) {
        int last = tokens.get(tokens.size() - 1).position();
        return last >= positions.peekLast() && tokens.get(0).position() >= positions.peekFirst();
    }

    private void append(TokenTrace t) {
        int[] marked = filler.fill(t, row);
        float m = 0f;
        for (float v : row) {
            m = Float.isFinite(v) ? Math.max(m, v) : m;
        }
        rows.append(row, RoutingHeatmaps.tokenLabel(t), RoutingHeatmaps.tag(t), marked);
        positions.addLast(t.position());
        while (!maxima.isEmpty() && maxima.peekLast().max() <= m) {
            maxima.pollLast();
        }
        maxima.addLast(new RowMax(t.position(), m));
    }

    private float max() {
        float m = maxima.isEmpty() ? 0f : maxima.peekFirst().max();
        return m > 0 ? m : 1f;
    }

    private void restart() {
        rows = new HeatmapRows(colLabels.size(), colLabels);
        positions.clear();
        maxima.clear();
    }
}
