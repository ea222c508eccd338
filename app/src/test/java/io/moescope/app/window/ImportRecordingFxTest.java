package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.viz.export.PngExport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * File → Import recording… in the whole window, headless: SGLang dumps open like a trace (load, gate heatmap, the
 * live diagnosis of all their tokens); a refused file opens nothing; a cancelled import opens nothing. With
 * {@code -Dmoescope.screenshots=DIR} the imported window is written to DIR/gui-import-recording.png.
 */
class ImportRecordingFxTest extends WindowFxTest {

    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    @Start
    void start(Stage stage) {
        open(stage);
    }

    static Path recording(String name) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/recording")
                .resolve(name);
    }

    private static long[][] expected(String key) throws Exception {
        JsonNode n =
                new ObjectMapper().readTree(recording("expected.json").toFile()).get(key);
        long[][] out = new long[n.size()][];
        for (int l = 0; l < out.length; l++) {
            out[l] = new long[n.get(l).size()];
            for (int e = 0; e < out[l].length; e++) {
                out[l][e] = n.get(l).get(e).asLong();
            }
        }
        return out;
    }

    @Test
    void aPerTokenDumpOpensLikeATrace(FxRobot robot) throws Exception {
        MenuBar bar = robot.lookup(".menu-bar").queryAs(MenuBar.class);
        assertTrue(
                bar.getMenus().get(0).getItems().stream().map(MenuItem::getText).anyMatch("Import recording…"::equals),
                "File menu has the import");
        onFx(() -> main.select("diagnosis"));
        Run run = onFx(() -> RecordingActions.open(
                        explorer.engine,
                        List.of(recording("sglang_per_token_0.pt"), recording("sglang_per_token_1.pt")),
                        recording("config.json")))
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        assertSame(run, explorer.workspace.getPrimary());
        TraceSnapshot view = explorer.workspace.primaryView();
        assertEquals(20, view.size(), "both ranks' 20 tokens, joined into one sequence");
        long[][] totals = expected("sglang_logical_totals");
        int[] moe = view.shape().moeLayers();
        for (int i = 0; i < moe.length; i++) {
            assertArrayEquals(totals[moe[i]], view.counts().layer(i), "layer " + moe[i]);
        }
        assertTrue(Float.isNaN(view.at(0).weight(0, 0)), "ids only: a recording has no router weights");
        WaitForAsyncUtils.waitFor(
                10,
                TimeUnit.SECONDS,
                () -> explorer.diagnosis.getReport() != null
                        && explorer.diagnosis.getReport().tokens() == 20);
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> table = robot.lookup("#diagnosis-table").queryAs(TableView.class);
        assertEquals(moe.length, table.getItems().size());
        WaitForAsyncUtils.waitFor(
                10,
                TimeUnit.SECONDS,
                () -> !explorer.inspector.choicesProperty().get().isEmpty());
        String chosen = explorer.inspector.choicesProperty().get().get(0).describe();
        assertTrue(chosen.endsWith("(no weights in the source)") && !chosen.contains("NaN"), chosen);
        assertTrue(
                explorer.engine.sourceProperty().get().contains("no router scores"),
                explorer.engine.sourceProperty().get());
        // the views that need scores say the source has none
        onFx(() -> main.select("gate"));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label gateNotice =
                robot.lookup("#gate-no-scores").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, gateNotice::isVisible);
        assertTrue(gateNotice.getText().startsWith("This recording has no router scores"), gateNotice.getText());
        // the Always-on tab and the Walkthrough say what a recording lacks, instead of empty layers or "no trace file"
        onFx(() -> main.select("shared"));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label sharedNotice =
                robot.lookup("#shared-no-contributions").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, sharedNotice::isVisible);
        assertEquals(io.moescope.app.routing.SharedViewModel.NO_ALWAYS_ON, sharedNotice.getText());
        assertTrue(sharedNotice.getHeight() > 0, "the notice is laid out");
        onFx(() -> main.select("walk"));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label walkNotice = robot.lookup("#walk-message").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, walkNotice::isVisible);
        assertEquals(io.moescope.app.teach.WalkthroughViewModel.NEEDS_SCORES, walkNotice.getText());
        onFx(() -> main.select("inspector"));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.control.Label inspectorNotice =
                robot.lookup("#inspector-no-scores").queryAs(javafx.scene.control.Label.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, inspectorNotice::isVisible);
        // the dashboard's entropy figure is not a measurement without scores, and says so
        WaitForAsyncUtils.waitFor(
                10,
                TimeUnit.SECONDS,
                () -> robot.lookup(".tile-note").queryAllAs(javafx.scene.control.Label.class).stream()
                        .anyMatch(l ->
                                io.moescope.app.dashboard.DashboardViewModel.ENTROPY_NOT_RECORDED.equals(l.getText())));
        // the Diagnosis tab's export: the same plan the CLI writes for these files, as the .pt SGLang reads
        Path pt = tmp.resolve("plan.pt");
        io.moescope.app.recording.PlacementExport.write(explorer.diagnosis.getReport(), view.shape(), 4, 1, 4, pt);
        Path json = tmp.resolve("plan.json");
        io.moescope.app.cli.MoeScopeCli.commandLine()
                .execute(
                        "import",
                        recording("sglang_per_token_0.pt").toString(),
                        recording("sglang_per_token_1.pt").toString(),
                        "--model-config",
                        recording("config.json").toString(),
                        "--out",
                        tmp.resolve("t.jsonl").toString(),
                        "--sglang-init-out",
                        json.toString(),
                        "--devices",
                        "4",
                        "--replicas",
                        "4");
        JsonNode cli = new ObjectMapper().readTree(json.toFile()).get("physical_to_logical_map");
        try (io.moescope.model.recording.pickle.TorchFile t = io.moescope.model.recording.pickle.TorchFile.open(
                pt, io.moescope.model.recording.pickle.PickleLimits.DEFAULT)) {
            long[] flat = ((io.moescope.model.recording.pickle.Tensor)
                            ((java.util.Map<?, ?>) t.root()).get("physical_to_logical_map"))
                    .toLongs();
            assertEquals(cli.size() * 20, flat.length);
            for (int l = 0; l < cli.size(); l++) {
                for (int p = 0; p < 20; p++) {
                    assertEquals(cli.get(l).get(p).asLong(), flat[l * 20 + p], "layer " + l + " slot " + p);
                }
            }
        }
        String dir = System.getProperty("moescope.screenshots");
        if (dir != null) {
            for (String tab : new String[] {"load", "gate", "shared"}) {
                onFx(() -> main.select(tab));
                WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
                WaitForAsyncUtils.waitForFxEvents();
                onFx(() -> {
                    PngExport.write(
                            stage.getScene().snapshot(null),
                            Path.of(dir)
                                    .resolve("gui-import-recording"
                                            + (tab.equals("load")
                                                    ? ""
                                                    : tab.equals("shared") ? "-always-on" : "-" + tab)
                                            + ".png"));
                    return null;
                });
            }
        }
    }

    @Test
    void aStatDumpShowsItsCounts() throws Exception {
        onFx(() -> RecordingActions.open(
                        explorer.engine, List.of(recording("sglang_stat.pt")), recording("config.json")))
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        TraceSnapshot view = explorer.workspace.primaryView();
        assertEquals(0, view.size(), "counts only: no positions");
        long[][] totals = expected("sglang_logical_totals");
        int[] moe = view.shape().moeLayers();
        for (int i = 0; i < moe.length; i++) {
            assertArrayEquals(totals[moe[i]], view.counts().layer(i), "layer " + moe[i]);
        }
    }

    @Test
    void statDumpsOfOneRunGetATimeSliderUnderTheLoadTab(FxRobot robot) throws Exception {
        onFx(() -> main.select("load"));
        Run run = onFx(() -> RecordingActions.open(
                        explorer.engine,
                        explorer.loadWindows,
                        List.of(
                                recording("expert_distribution_recorder_1764680400.125.pt"),
                                recording("expert_distribution_recorder_1764680460.5.pt"),
                                recording("expert_distribution_recorder_1764680521.75.pt")),
                        recording("config.json")))
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        assertSame(run, explorer.workspace.getPrimary());
        javafx.scene.Node strip = robot.lookup("#load-windows").query();
        assertTrue(strip.isVisible() && strip.getLayoutBounds().getHeight() > 50, "the slider strip is laid out");
        javafx.scene.control.Slider slider =
                robot.lookup("#load-window-slider").queryAs(javafx.scene.control.Slider.class);
        assertEquals(2, slider.getMax());
        onFx(() -> {
            slider.setValue(2);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, explorer.loadWindows.windowProperty().get());
        javafx.scene.control.Label summary =
                robot.lookup("#load-window-summary").queryAs(javafx.scene.control.Label.class);
        assertTrue(summary.getText().startsWith("window 2 of 3 (30 tokens)"), summary.getText());
        io.moescope.viz.heatmap.HeatmapCanvas heat =
                robot.lookup("#load-windows-heatmap").queryAs(io.moescope.viz.heatmap.HeatmapCanvas.class);
        assertEquals(3, heat.getSnapshot().rows());
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> heat.getPaintCount() > 0);
        // the whole recording's load above sums the three windows
        long[] sum = new long[16];
        for (int w = 0; w < 3; w++) {
            long[] c = row(explorer.loadWindows.heatmapProperty().get(), w);
            for (int e = 0; e < 16; e++) {
                sum[e] += c[e];
            }
        }
        assertArrayEquals(sum, explorer.workspace.primaryView().counts().layer(0));
        // and the tab's own heatmap and table show that load: a recording of counts only has no positions
        WaitForAsyncUtils.waitFor(
                10,
                TimeUnit.SECONDS,
                () -> explorer.load.heatmapProperty().get().rows() == 3);
        assertEquals(sum[1], (long) explorer.load.heatmapProperty().get().value(0, 1));
        assertEquals(3, explorer.load.balance().size());
        String dir = System.getProperty("moescope.screenshots");
        if (dir != null) {
            WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
            WaitForAsyncUtils.waitForFxEvents();
            onFx(() -> {
                PngExport.write(
                        stage.getScene().snapshot(null), Path.of(dir).resolve("gui-import-recording-windows.png"));
                return null;
            });
        }
        // a recording of one window hides the strip again
        onFx(() -> RecordingActions.open(
                        explorer.engine,
                        explorer.loadWindows,
                        List.of(recording("sglang_stat.pt")),
                        recording("config.json")))
                .get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(!strip.isVisible() && !strip.isManaged(), "one window: no slider");
    }

    private static long[] row(io.moescope.viz.data.HeatmapSnapshot h, int r) {
        long[] out = new long[h.cols()];
        for (int e = 0; e < out.length; e++) {
            out[e] = (long) h.value(r, e);
        }
        return out;
    }

    @Test
    void aRefusedFileOpensNothing() throws Exception {
        CompletableFuture<Run> f = onFx(() -> RecordingActions.open(
                explorer.engine,
                List.of(recording("sglang_stat.pt"), recording("reject_os_system.pt")),
                recording("config.json")));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, f::isDone);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(f.isCompletedExceptionally());
        assertNull(explorer.workspace.getPrimary());
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("refused global posix.system"), problems.get(0));
    }

    @Test
    void aCancelledImportOpensNothing() throws Exception {
        CompletableFuture<Run> f = onFx(() -> explorer.engine.openBuilt("big.pt", "Cannot import", (cancelled, p) -> {
            long t0 = System.nanoTime();
            while (!cancelled.getAsBoolean() && System.nanoTime() - t0 < 20_000_000_000L) {
                p.update(1, 1000, "importing");
                Thread.sleep(5);
            }
            throw new CancellationException("import cancelled");
        }));
        WaitForAsyncUtils.waitFor(
                10, TimeUnit.SECONDS, () -> explorer.engine.loadingProperty().get());
        onFx(() -> {
            explorer.engine.cancelLoad();
            return null;
        });
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, f::isDone);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(f.isCancelled());
        assertNull(explorer.workspace.getPrimary());
        assertTrue(problems.isEmpty(), problems::toString);
        assertTrue(
                explorer.engine.statusProperty().get().startsWith("Cancelled"),
                explorer.engine.statusProperty().get());
    }
}
