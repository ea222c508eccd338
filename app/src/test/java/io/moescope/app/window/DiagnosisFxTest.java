package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.diagnosis.DiagnosisMath;
import io.moescope.app.session.Run;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.runtime.Generator;
import io.moescope.model.trace.TraceRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Diagnosis tab in the whole window, headless: live diagnosis of a generation, then a corpus run. */
class DiagnosisFxTest extends WindowFxTest {

    @TempDir
    Path dir;

    @Start
    void start(Stage stage) {
        open(stage);
    }

    @Test
    void liveDiagnosisThenCorpus(FxRobot robot) throws Exception {
        onFx(() -> main.select("diagnosis"));
        onFx(() -> explorer.engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")))
                .get(60, TimeUnit.SECONDS);
        onFx(() -> {
                    explorer.prompt.promptProperty().set("1, 17, 42, 5, 99, 23");
                    explorer.prompt.maxTokensProperty().set(5);
                    return explorer.prompt.generate();
                })
                .get(60, TimeUnit.SECONDS);
        Run run = explorer.workspace.getPrimary();
        TraceRecorder reference = new TraceRecorder(false);
        new Generator(explorer.engine.getModel()).generate(run.request(), reference, (p, id, t, ph) -> {});
        DiagnosisReport want = DiagnosisMath.diagnose(reference.events(), "reference");
        WaitForAsyncUtils.waitFor(
                10,
                TimeUnit.SECONDS,
                () -> explorer.diagnosis.getReport() != null
                        && explorer.diagnosis.getReport().tokens() == want.tokens());
        WaitForAsyncUtils.waitForFxEvents();
        DiagnosisReport shown = explorer.diagnosis.getReport();
        for (int l = 0; l < want.layers().size(); l++) {
            assertEquals(want.layers().get(l).losses(), shown.layers().get(l).losses());
        }
        TableView<?> table = robot.lookup("#diagnosis-table").queryAs(TableView.class);
        assertEquals(want.layers().size(), table.getItems().size());

        StringBuilder ids = new StringBuilder();
        for (int doc = 0; doc < 3; doc++) {
            for (int i = 0; i < 40; i++) {
                ids.append((doc * 31 + i * 7) % 120).append(i < 39 ? " " : "\n");
            }
        }
        Path corpus = Files.writeString(dir.resolve("a.ids"), ids);
        DiagnosisReport report =
                onFx(() -> explorer.corpusRun.start(List.of(corpus))).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(120, report.tokens());
        assertTrue(explorer.diagnosis.corpusProperty().get());
        assertEquals(report, explorer.diagnosis.getReport());
        assertTrue(robot.lookup("#diagnosis-caption").queryLabeled().getText().startsWith("Corpus: a.ids"));
        Path out = dir.resolve("report");
        io.moescope.app.report.ReportFiles.write(report, out, false);
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
    }
}
