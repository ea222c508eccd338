package io.moescope.app.recording;

import io.moescope.base.AtomicFiles;
import io.moescope.model.diagnosis.DiagnosisReport;
import io.moescope.model.diagnosis.PlacementAnalysis;
import io.moescope.model.recording.InitExpertLocation;
import io.moescope.model.trace.ModelShape;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The Diagnosis tab's "Export placement…": the EPLB plan of the shown report's counts for the placement what-if's
 * GPUs, nodes and redundant experts, as the file SGLang's {@code --init-expert-location} reads
 * ({@code physical_to_logical_map}; a name ending in .pt as torch.save writes it, any other as JSON); one row per
 * decoder layer, dense ones with the trivial map.
 */
public final class PlacementExport {

    private PlacementExport() {}

    /** Totals [decoder layer][expert] of the report (zero rows for dense layers). */
    public static long[][] totals(DiagnosisReport r, int decoderLayers) {
        long[][] out = new long[decoderLayers][r.routedExperts()];
        for (int i = 0; i < r.moeLayers().length; i++) {
            out[r.moeLayers()[i]] = r.layers().get(i).load().counts().clone();
        }
        return out;
    }

    /**
     * Plans and writes; {@code shape} is the run's (its layer count gives the rows SGLang expects).
     *
     * @throws IllegalArgumentException for a placement the report's experts cannot take
     */
    public static void write(DiagnosisReport r, ModelShape shape, int gpus, int nodes, int replicas, Path target)
            throws IOException {
        PlacementAnalysis.validate(
                r.routedExperts(), new PlacementAnalysis.Request(gpus, nodes, replicas, shape.expertGroups()));
        int[][] plan = InitExpertLocation.plan(totals(r, shape.layerCount()), shape, replicas, nodes, gpus);
        boolean pt = target.getFileName().toString().endsWith(".pt");
        AtomicFiles.write(target, out -> {
            if (pt) {
                InitExpertLocation.writePhysicalToLogicalPt(plan, out);
            } else {
                InitExpertLocation.writePhysicalToLogical(plan, out);
            }
        });
    }
}
