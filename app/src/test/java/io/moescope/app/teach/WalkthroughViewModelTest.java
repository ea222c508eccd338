package io.moescope.app.teach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.EngineService;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.Run;
import io.moescope.app.session.Workspace;
import io.moescope.app.teach.WalkStep.Kind;
import io.moescope.model.api.CapturePoint;
import io.moescope.model.api.LayerCapture;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TraceSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The walkthrough's view model with the real engine thread and Runnable::run as the UI executor: no window. */
class WalkthroughViewModelTest {

    private static final int[] PROMPT = {1, 17, 42, 5, 99, 23};
    private final Preferences prefs = Preferences.userRoot().node("io/moescope/test-walk-" + System.nanoTime());
    private final List<String> problems = new ArrayList<>();
    private final Workspace workspace = new Workspace(Runnable::run);
    private final EngineService service = new EngineService();
    private final EngineViewModel engine = new EngineViewModel(
            workspace, service, Runnable::run, (t, m) -> problems.add(t + ": " + m), new RecentFiles(prefs));
    private final WalkthroughViewModel vm =
            new WalkthroughViewModel(workspace, service, engine::getModel, Runnable::run);

    @AfterEach
    void tearDown() throws Exception {
        service.close();
        if (engine.getModel() != null) {
            engine.getModel().close();
        }
        prefs.removeNode();
    }

    private Run generate() throws Exception {
        engine.openModel(TraceFixtures.fixtureModel("deepseek_f32")).get(60, TimeUnit.SECONDS);
        return engine.generate(GenerationRequest.of(PROMPT, 5, SamplingParams.GREEDY), false, null)
                .get(60, TimeUnit.SECONDS);
    }

    @Test
    void stepsCarryTheEngineNumbersOfTheChosenTokenAndLayer() throws Exception {
        Run run = generate();
        WalkInput in = vm.show(7, 1).get(60, TimeUnit.SECONDS);
        assertNotNull(in, problems::toString);
        assertEquals(2, in.layer(), "MoE layer index 1 is decoder layer 2");
        assertEquals(7, in.position());
        assertTrue(in.hasWeights());
        // the capture equals an independent one of the same tokens …
        int[] ids = workspace.primaryView().tokens().stream()
                .mapToInt(t -> t.tokenId())
                .limit(8)
                .toArray();
        LayerCapture again = new Generator(engine.getModel())
                .capture(ids, run.request().intervention(), new CapturePoint(2, 7), TraceSink.DISABLED);
        assertEquals(again, in.capture());
        // … and agrees with the run's own trace (a decode step: the same arithmetic up to float rounding)
        RoutingDecision original = JsonlTraceReader.readAll(run.traceFile()).stream()
                .filter(e -> e instanceof RoutingDecision r && r.position() == 7 && r.layer() == 2)
                .map(RoutingDecision.class::cast)
                .findFirst()
                .orElseThrow();
        assertArrayEquals(original.experts(), in.decision().experts());
        assertArrayEquals(original.weights(), in.decision().weights(), 1e-5f);
        assertArrayEquals(original.scores(), in.decision().scores(), 1e-5f);

        WalkStep logits = vm.stepProperty().get();
        assertEquals(Kind.HIDDEN_IN, logits.kind());
        assertEquals(8, vm.stepsProperty().get().size(), "no selection step: DeepSeekMoE has no bias or groups");
        vm.nextStep();
        assertArrayEquals(
                in.capture().routerLogits(),
                vm.stepProperty().get().bars().get(0).values());
        for (int i = 0; i < 20; i++) {
            vm.nextStep();
        }
        assertEquals(Kind.RESIDUAL, vm.stepProperty().get().kind(), "→ stops at the last step");
        assertArrayEquals(
                in.capture().residualOut(),
                vm.stepProperty().get().strips().get(2).values());
        vm.previousStep();
        assertEquals(Kind.COMBINE, vm.stepProperty().get().kind());

        WalkInput down = vm.nextLayer().get(60, TimeUnit.SECONDS);
        assertEquals(3, down.layer());
        assertEquals(Kind.COMBINE, vm.stepProperty().get().kind(), "the step stays when the layer changes");
        assertEquals(1, vm.nextLayer().get(60, TimeUnit.SECONDS).layer(), "↓ wraps to the first MoE layer");
        WalkInput next = vm.nextToken().get(60, TimeUnit.SECONDS);
        assertEquals(8, next.position());
        assertArrayEquals(
                new Generator(engine.getModel())
                        .capture(
                                workspace.primaryView().tokens().stream()
                                        .mapToInt(t -> t.tokenId())
                                        .limit(9)
                                        .toArray(),
                                run.request().intervention(),
                                new CapturePoint(1, 8),
                                TraceSink.DISABLED)
                        .weights(),
                next.capture().weights());
        assertTrue(vm.variantProperty().get().startsWith("DeepSeekMoE: softmax, top-4 of 16"));
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void aResultForATokenNoLongerAskedForIsDropped() throws Exception {
        generate();
        // hold the inference thread so that both requests wait behind it: otherwise the first can finish before
        // the second is asked for, and there is nothing to drop
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Boolean> busy = service.background(cancelled -> hold.await(60, TimeUnit.SECONDS));
        CompletableFuture<WalkInput> first = vm.show(3, 0);
        CompletableFuture<WalkInput> secondAsked = vm.show(4, 2);
        hold.countDown();
        assertTrue(busy.get(60, TimeUnit.SECONDS));
        WalkInput second = secondAsked.get(60, TimeUnit.SECONDS);
        assertNull(first.get(60, TimeUnit.SECONDS), "the earlier request completes empty");
        assertEquals(4, vm.inputProperty().get().position());
        assertEquals(second, vm.inputProperty().get());
    }

    @Test
    void aReplayedTraceWalksTheRoutingAndSaysWhatNeedsWeights() throws Exception {
        engine.openTrace(TraceFixtures.trace("qwen2_moe_f32")).get(60, TimeUnit.SECONDS);
        WalkInput in = vm.show(2, 0).get(60, TimeUnit.SECONDS);
        assertNotNull(in, vm.messageProperty()::get);
        assertFalse(in.hasWeights());
        RoutingDecision d = JsonlTraceReader.readAll(TraceFixtures.trace("qwen2_moe_f32")).stream()
                .filter(e -> e instanceof RoutingDecision r && r.position() == 2 && r.layer() == in.layer())
                .map(RoutingDecision.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(d, in.decision());
        assertTrue(vm.messageProperty().get().startsWith("Replayed trace"));
        assertTrue(vm.stepProperty().get().needsWeights());
        assertTrue(vm.selectStep(Kind.SCORES));
        assertArrayEquals(d.scores(), vm.stepProperty().get().bars().get(0).values());
        assertTrue(vm.variantProperty().get().contains("shared expert behind a sigmoid gate"));
    }

    @Test
    void aPositionTheTraceNeverRanIsAOneLineMessage() throws Exception {
        engine.openTrace(TraceFixtures.trace("deepseek_f32")).get(60, TimeUnit.SECONDS);
        int last = workspace
                .primaryView()
                .tokens()
                .get(workspace.primaryView().size() - 1)
                .position();
        assertNull(vm.show(last, 0).get(60, TimeUnit.SECONDS));
        assertTrue(
                vm.messageProperty().get().contains("no routing for position " + last),
                vm.messageProperty().get());
        assertFalse(vm.messageProperty().get().contains("\n"));
        assertTrue(vm.stepsProperty().get().isEmpty());
    }
}
