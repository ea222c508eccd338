package io.moescope.viz.fx;

import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.util.Duration;

/**
 * Rows for a read-only table of texts that follows a list of values which a live view replaces often (a figure
 * per layer that changes with every token): one stable row per value index whose cell texts are properties, brought
 * up to date at most once per {@code interval}. Replacing a table's items makes it re-lay out and re-style every row
 * (half a frame for 16 rows); setting a cell's text repaints that text only, and an unchanged text nothing. The
 * rows are rebuilt only when the number of values changes. FX thread.
 *
 * @param <T> the values shown, one per row
 */
public final class TextTableRows<T> {

    /** One table row: the texts of one value's cells. */
    public static final class Row {
        private final ReadOnlyStringWrapper[] cells;

        Row(int columns) {
            cells = new ReadOnlyStringWrapper[columns];
            for (int c = 0; c < columns; c++) {
                cells[c] = new ReadOnlyStringWrapper(this, "cell" + c, "");
            }
        }

        /** The text of column {@code column}. */
        public ReadOnlyStringProperty cell(int column) {
            return cells[column].getReadOnlyProperty();
        }
    }

    private final ObservableList<T> source;
    private final Function<T, List<String>> texts;
    private final int columns;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final FxThrottle throttle;

    /**
     * Rows following {@code source}; {@code texts} gives a value's {@code columns} cell texts, in column order.
     */
    public TextTableRows(ObservableList<T> source, int columns, Function<T, List<String>> texts, Duration interval) {
        this.source = source;
        this.columns = columns;
        this.texts = texts;
        this.throttle = new FxThrottle(interval, this::sync);
        source.addListener((ListChangeListener<T>) change -> throttle.request());
        sync();
    }

    /** The rows, for {@link TableView#setItems}. */
    public ObservableList<Row> rows() {
        return rows;
    }

    /** A read-only, unsortable column showing cell {@code column} of each row. */
    public static TableColumn<Row, String> column(String title, int column) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> cell.getValue().cell(column));
        c.setSortable(false);
        return c;
    }

    /** Brings every row up to date now. */
    public void sync() {
        if (rows.size() != source.size()) {
            List<Row> fresh = new java.util.ArrayList<>(source.size());
            for (int i = 0; i < source.size(); i++) {
                fresh.add(new Row(columns));
            }
            fill(fresh);
            rows.setAll(fresh);
        } else {
            fill(rows);
        }
    }

    private void fill(List<Row> target) {
        for (int i = 0; i < target.size(); i++) {
            List<String> values = texts.apply(source.get(i));
            for (int c = 0; c < columns; c++) {
                target.get(i).cells[c].set(c < values.size() ? values.get(c) : "");
            }
        }
    }
}
