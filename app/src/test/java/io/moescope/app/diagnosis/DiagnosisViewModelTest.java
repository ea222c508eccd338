package io.moescope.app.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.diagnosis.DiagnosisOptions;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.LayerReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.diagnosis.ReportBuilder;
import io.moescope.model.diagnosis.RoutingAccumulator;
import io.moescope.model.trace.RoutingDecision;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Diagnosis tab's view model fed by recorded traces, checked against model.diagnosis run directly. */
class DiagnosisViewModelTest {

    private final Workspace workspace = new Workspace(Runnable::run);
    private final DiagnosisViewModel vm = new DiagnosisViewModel(workspace, Runnable::run, Runnable::run, 0);

    private List<TraceEvent> replay(String name) throws Exception {
        List<TraceEvent> events = TraceFixtures.events(name);
        workspace.primaryProperty().set(new Run(name, new TraceStore(), null));
        events.forEach(workspace.getPrimary().store()::accept);
        return events;
    }

    /** The engine's own diagnosis of the same events, with a device split of D and two capacity factors. */
    private static DiagnosisReport direct(List<TraceEvent> events, int devices) {
        RoutingAccumulator acc = new RoutingAccumulator(
                null,
                new DiagnosisOptions(
                        devices, 3, new double[] {1.25, 2.0}, DiagnosisOptions.DEFAULT_WINDOWS, Double.NaN));
        events.forEach(acc::accept);
        return ReportBuilder.build(acc, null, DiagnosisReport.RunInfo.of(List.of("direct")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deepseek_f32", "qwen2_moe_f32"})
    void replayedTraceGivesTheEngineNumbers(String name) throws Exception {
        List<TraceEvent> events = replay(name);
        DiagnosisReport shown = vm.getReport();
        int experts = shown.routedExperts();
        int d = experts % 4 == 0 ? 4 : 2;
        vm.devicesProperty().set(d);
        DiagnosisReport want = direct(events, d);
        assertEquals(want.tokens(), shown.tokens());
        List<DiagnosisRow> rows = vm.charts().rows();
        assertEquals(want.layers().size(), rows.size());
        for (double factor : new double[] {1.25, 2.0}) {
            vm.capacityFactorProperty().set(factor);
            for (int l = 0; l < rows.size(); l++) {
                LayerReport w = want.layers().get(l);
                DiagnosisRow r = vm.charts().rows().get(l);
                assertEquals(w.layer(), r.layer());
                assertEquals(w.load().maxMean(), r.maxMean(), 0);
                assertEquals(w.load().cv(), r.cv(), 0);
                assertEquals(w.load().balancedness(), r.balancedness(), 0);
                assertEquals(w.load().loadEntropy(), r.loadEntropy(), 0);
                assertEquals(w.load().gini(), r.gini(), 0);
                assertArrayEquals(w.load().dead(), r.dead());
                assertArrayEquals(w.load().hot(), r.hot());
                assertEquals(w.losses().switchAux(), r.switchAux(), 0);
                assertEquals(w.losses().deepseekExpert(), r.deepseekExpert(), 0);
                assertEquals(w.losses().deepseekDevice(), r.deviceLoss(), 1e-12);
                assertEquals(w.losses().deepseekV3Seq(), r.v3Sequence(), 0);
                assertEquals(w.losses().zLoss(), r.zLoss(), 0);
                double dropped = w.capacity().stream()
                        .filter(c -> c.factor() == factor)
                        .findFirst()
                        .orElseThrow()
                        .droppedFraction();
                assertEquals(dropped, r.dropped(), 0);
            }
        }
        for (int layer = 0; layer < want.layers().size(); layer++) {
            workspace.layerProperty().set(layer);
            long[][] co = want.layers().get(layer).coactivation();
            var grid = vm.charts().coactivationProperty().get();
            for (int i = 0; i < experts; i++) {
                for (int j = 0; j < experts; j++) {
                    assertEquals(co[i][j], grid.value(i, j), 0);
                }
            }
        }
    }

    @Test
    void placementMatchesPlacementAnalysisAndOffersOnlyValidValues() throws Exception {
        List<TraceEvent> events = replay("deepseek_f32");
        PlacementViewModel p = vm.placement();
        assertEquals(List.of(1, 2, 4, 8, 16), p.validGpus());
        assertEquals(8, p.gpusProperty().get()); // default: the largest divisor of E up to 8
        assertEquals(8, p.replicasProperty().get()); // one redundant expert per GPU
        p.gpusProperty().set(8);
        assertEquals(List.of(1, 2, 4, 8), p.validNodes());
        assertEquals(List.of(0, 8, 16), p.validReplicas());
        p.nodesProperty().set(2);
        p.replicasProperty().set(8);
        workspace.layerProperty().set(2);
        DiagnosisReport want = direct(events, 4);
        List<long[]> counts = new ArrayList<>();
        want.layers().forEach(l -> counts.add(l.load().counts()));
        PlacementAnalysis.Result r = PlacementAnalysis.analyse(counts, new PlacementAnalysis.Request(8, 2, 8, 1));
        double[] contiguous = r.contiguous().layers().get(2).gpuLoads();
        double[] eplb = r.eplb().layers().get(2).gpuLoads();
        for (int g = 0; g < 8; g++) {
            assertEquals(
                    (float) contiguous[g],
                    vm.charts().contiguousProperty().get().value(g),
                    0);
            assertEquals((float) eplb[g], vm.charts().eplbProperty().get().value(g), 0);
        }
        assertEquals(
                r.eplb().layers().get(2).balancedness(),
                vm.charts().placement().eplb().balancedness(),
                0);
        assertTrue(vm.charts().eplbTextProperty().get().contains("balancedness"));
        // 6 GPUs do not divide 16 experts: snapped back to a valid count
        p.gpusProperty().set(6);
        assertTrue(p.validGpus().contains(p.gpusProperty().get()));
        assertTrue(vm.charts().placementCsv().startsWith("gpu,contiguous_load,eplb_load"));
    }

    @Test
    void followsTheStreamAndSwitchesToACorpusReport() throws Exception {
        List<TraceEvent> events = TraceFixtures.events("deepseek_f32");
        workspace.primaryProperty().set(new Run("live", new TraceStore(), null));
        assertNull(vm.getReport());
        long emitted = 0;
        for (TraceEvent e : events) {
            workspace.getPrimary().store().accept(e);
            if (e instanceof TokenEmitted) {
                emitted++;
                if (emitted == 3) {
                    assertEquals(3, vm.getReport().tokens());
                    assertTrue(vm.captionProperty().get().startsWith("Live: live"));
                }
            }
        }
        long routed = events.stream()
                .filter(e -> e instanceof RoutingDecision r && r.layer() == 1)
                .count();
        assertEquals(routed, vm.getReport().tokens());
        DiagnosisReport corpus = direct(events, 4);
        vm.showCorpus(corpus);
        assertTrue(vm.corpusProperty().get());
        assertEquals(List.of(1.25, 2.0), vm.charts().factorChoices());
        assertEquals(1.25, vm.capacityFactorProperty().get());
        workspace.signal(); // live updates no longer replace the corpus report
        assertEquals(corpus, vm.getReport());
        String csv = vm.charts().csv();
        assertEquals(1 + 3, csv.lines().count());
        vm.showLive();
        assertFalse(vm.corpusProperty().get());
        assertEquals(
                io.moescope.app.session.TraceStore.CAPACITY_FACTORS.length,
                vm.charts().factorChoices().size());
    }
}
