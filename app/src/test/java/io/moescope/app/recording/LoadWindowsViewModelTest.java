package io.moescope.app.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.app.session.Workspace;
import io.moescope.model.recording.ImportProgress;
import io.moescope.viz.data.HeatmapSnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The time slider's state for three SGLang stat dumps of one run, with no toolkit. */
class LoadWindowsViewModelTest {

    static final List<String> DUMPS = List.of(
            "expert_distribution_recorder_1764680400.125.pt",
            "expert_distribution_recorder_1764680460.5.pt",
            "expert_distribution_recorder_1764680521.75.pt");

    private final Workspace workspace = new Workspace(Runnable::run);
    private final LoadWindowsViewModel viewModel = new LoadWindowsViewModel(workspace);

    private RecordingRun.Imported open(List<String> names) throws Exception {
        RecordingRun.Imported in = RecordingRun.read(
                names.stream().map(RecordingRunTest::recording).toList(),
                RecordingRunTest.recording("config.json"),
                ImportProgress.NONE);
        viewModel.register(in.run(), in.windows());
        workspace.primaryProperty().set(in.run());
        return in;
    }

    @Test
    void theSliderWalksTheWindowsOfTheToolbarLayer() throws Exception {
        open(DUMPS);
        assertEquals(3, viewModel.windowsProperty().get());
        JsonNode totals = new ObjectMapper()
                .readTree(RecordingRunTest.recording("windows.expected.json").toFile())
                .get("window_totals");
        workspace.layerProperty().set(1); // MoE layer index 1 = decoder layer 2
        HeatmapSnapshot h = viewModel.heatmapProperty().get();
        assertEquals(3, h.rows(), "one row per window");
        assertEquals(16, h.cols());
        for (int w = 0; w < 3; w++) {
            for (int e = 0; e < 16; e++) {
                assertEquals(totals.get(w).get(2).get(e).asLong(), (long) h.value(w, e), "window " + w + " e" + e);
            }
        }
        assertEquals(RoutingHeatmapsTag.SELECTED, h.rowTag(0));
        assertEquals(0, h.rowTag(2));
        viewModel.windowProperty().set(2);
        h = viewModel.heatmapProperty().get();
        assertEquals(RoutingHeatmapsTag.SELECTED, h.rowTag(2), "the selected window's row is tagged");
        float[] bars = viewModel.barsProperty().get().values();
        assertEquals(totals.get(2).get(2).get(2).asLong(), (long) bars[2], "decoder layer 2's hot expert is 2");
        String line = viewModel.summaryProperty().get();
        assertTrue(line.startsWith("window 2 of 3 (30 tokens): layer 2 max/mean"), line);
    }

    @Test
    void oneWindowOrPerTokenRoutingShowsNoSlider() throws Exception {
        open(List.of("sglang_stat.pt"));
        assertEquals(0, viewModel.windowsProperty().get());
        assertTrue(viewModel.heatmapProperty().get().isEmpty());
        open(List.of("sglang_per_token_0.pt"));
        assertEquals(0, viewModel.windowsProperty().get());
        assertEquals("", viewModel.summaryProperty().get());
    }

    @Test
    void aRunOpenedWithoutWindowsHidesTheSliderOfThePreviousOne() throws Exception {
        open(DUMPS);
        assertEquals(3, viewModel.windowsProperty().get());
        workspace.primaryProperty().set(null);
        assertEquals(0, viewModel.windowsProperty().get());
    }

    /** The row tag the view model gives the selected window (drawn orange). */
    static final class RoutingHeatmapsTag {
        static final int SELECTED = io.moescope.app.routing.RoutingHeatmaps.TAG_DECODE;
    }
}
