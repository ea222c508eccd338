package io.moescope.viz.bars;

import static io.moescope.viz.FxTestSupport.runFx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.viz.FxTestSupport;
import io.moescope.viz.data.BarsSnapshot;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BarChartCanvasTest {

    @BeforeAll
    static void startFx() throws Exception {
        FxTestSupport.startToolkit();
    }

    @Test
    void mapsPointsToBarsAfterLayout() throws Exception {
        runFx(() -> {
            BarChartCanvas chart = new BarChartCanvas();
            chart.setBars(BarsSnapshot.of(new float[] {1, 5, 2, 8}, List.of("a", "b", "c", "d"))
                    .withHighlighted(3)
                    .withMeanReference());
            chart.resize(400, 200);
            chart.layout();
            assertTrue(chart.barAt(1, 100).isEmpty(), "axis area");
            assertEquals(3, chart.barAt(395, 100).getAsInt());
            assertEquals(400, chart.toImage().getWidth());
        });
    }
}
