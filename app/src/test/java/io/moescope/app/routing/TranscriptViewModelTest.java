package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.app.routing.TranscriptViewModel.Chip;
import io.moescope.app.session.Run;
import io.moescope.app.session.TokenTrace;
import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.ModelShape;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.viz.color.CategoricalPalette;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The transcript's chips, appended token by token, equal chips built from scratch, through drops and recolouring. */
class TranscriptViewModelTest {

    private final ModelShape shape = new ModelShape("deepseek", 2, new int[] {0, 1}, 8, 0, 2, 10);
    private final Random random = new Random(2);
    private final CategoricalPalette palette = new CategoricalPalette();

    @Test
    void chipsEqualAFullRebuildAsTokensArriveAndDropOut() {
        Workspace workspace = new Workspace(Runnable::run);
        TranscriptViewModel transcript = new TranscriptViewModel(workspace);
        TraceStore store = new TraceStore(TokenTrace.bytesPerPosition(2, 8, 2) * 10, false); // 256 positions
        workspace.primaryProperty().set(new Run("t", store, null));
        store.accept(new SequenceStarted(1, shape));
        for (int p = 0; p < 700; p++) {
            emit(store, p);
            if (p == 300) {
                workspace.layerProperty().set(1);
            }
            if (p % 13 == 0 || p == 300) {
                assertEquals(
                        expected(workspace.primaryView(), p >= 300 ? 1 : 0),
                        transcript.chipsProperty().get());
            }
        }
        assertEquals(256, transcript.chipsProperty().get().size());
    }

    private List<Chip> expected(TraceSnapshot view, int layer) {
        List<Chip> chips = new ArrayList<>();
        for (TokenTrace t : view.tokens()) {
            int e = t.topExpert(layer);
            chips.add(new Chip(t.position(), t.label(), t.isPrefill(), e, palette.argb(e)));
        }
        return chips;
    }

    private void emit(TraceStore store, int position) {
        for (int l = 0; l < 2; l++) {
            int a = random.nextInt(8);
            store.accept(new RoutingDecision(
                    1,
                    position,
                    l,
                    new float[8],
                    new float[8],
                    null,
                    null,
                    new int[] {a, (a + 1) % 8},
                    new float[] {.6f, .4f},
                    1f,
                    0f,
                    Float.NaN));
        }
        store.accept(
                new TokenEmitted(1, position, position, "t" + position, position < 5 ? Phase.PREFILL : Phase.DECODE));
    }
}
