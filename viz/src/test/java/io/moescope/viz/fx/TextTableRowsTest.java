package io.moescope.viz.fx;

import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.moescope.viz.FxTestSupport;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.util.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextTableRowsTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void rowsStayTheSameObjectsWhileTheirTextsFollowTheValues() throws Exception {
        runFx(() -> {
            ObservableList<Integer> values = FXCollections.observableArrayList(1, 2);
            TextTableRows<Integer> table =
                    new TextTableRows<>(values, 2, v -> List.of("n" + v, String.valueOf(v * v)), Duration.ZERO);
            assertEquals(2, table.rows().size());
            TextTableRows.Row first = table.rows().get(0);
            assertEquals("n1", first.cell(0).get());
            assertEquals("4", table.rows().get(1).cell(1).get());

            values.set(0, 3); // same count: the row object stays, its texts change
            assertSame(first, table.rows().get(0));
            assertEquals("n3", first.cell(0).get());
            assertEquals("9", first.cell(1).get());

            values.setAll(5, 6, 7); // a new count: rows rebuilt
            assertEquals(3, table.rows().size());
            assertEquals("49", table.rows().get(2).cell(1).get());
            values.clear();
            assertEquals(0, table.rows().size());
        });
    }

    @Test
    void aThrottledTableCatchesUpOnceTheIntervalHasPassed() throws Exception {
        ObservableList<Integer> values = FXCollections.observableArrayList(1);
        @SuppressWarnings({"unchecked", "rawtypes"})
        TextTableRows<Integer>[] table = new TextTableRows[1];
        runFx(() -> {
            table[0] = new TextTableRows<>(values, 1, v -> List.of("v" + v), Duration.millis(100));
            values.set(0, 2); // the first change runs at once and starts the interval
        });
        runFx(() -> values.set(0, 3)); // inside the interval: deferred
        Thread.sleep(400);
        runFx(() -> assertEquals("v3", table[0].rows().get(0).cell(0).get()));
    }
}
