package io.moescope.model.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.recording.pickle.Npy;
import io.moescope.model.recording.pickle.PickleException;
import io.moescope.model.recording.pickle.PickleLimits;
import io.moescope.model.recording.pickle.PyTuple;
import io.moescope.model.recording.pickle.Tensor;
import io.moescope.model.recording.pickle.TorchFile;
import io.moescope.testkit.ErrorMessages;
import io.moescope.testkit.ScratchDir;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes the safe torch.save / pickle reader ({@link TorchFile#open}) and the .npy reader ({@link Npy#read}): any
 * bytes either load into plain values whose every tensor reads back with as many elements as its shape says, or are
 * refused with a one-line error naming the file (a storage read after opening: a one-line {@link PickleException}).
 * Nothing in the input is ever run. Seeds: the recording fixtures (SGLang dumps, the refused globals, a truncated
 * .npy). Fuzzing command: docs/reliability.md.
 */
class TorchFileFuzzTest {

    /** Values nested deeper than this are not walked (the reader's own limits bound the depth it builds). */
    private static final int MAX_WALK = 64;

    /** In memory where the machine allows (ScratchDir): each execution rewrites the file. */
    private static final Path dir = ScratchDir.create("moescope-fuzz-");

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    @DictionaryEntries({
        "\"data.pkl\"",
        "\"version\"",
        "\"byteorder\"",
        "\"little\"",
        "\"torch._utils\"",
        "\"_rebuild_tensor_v2\"",
        "\"torch\"",
        "\"LongStorage\"",
        "\"IntStorage\"",
        "\"FloatStorage\"",
        "\"collections\"",
        "\"OrderedDict\"",
        "\"builtins\"",
        "\"os\"",
        "\"system\"",
        "\"PK\\x03\\x04\""
    })
    void torchFileLoadsOrRefusesCleanly(byte[] input) {
        Path file = dir.resolve("dump.pt");
        FuzzFiles.write(file, input);
        try (TorchFile t = TorchFile.open(file, PickleLimits.DEFAULT)) {
            walk(t.root(), 0, Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
        } catch (PickleException e) {
            ErrorMessages.assertOneLine(e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 10_000_000)
    @DictionaryEntries({
        "\"\\x93NUMPY\"",
        "\"descr\"",
        "\"fortran_order\"",
        "\"shape\"",
        "\"<i4\"",
        "\"<f4\"",
        "\"<i8\"",
        "\"|b1\"",
        "\"False\"",
        "\"True\""
    })
    void npyLoadsOrRefusesCleanly(byte[] input) {
        Path file = dir.resolve("routed.npy");
        FuzzFiles.write(file, input);
        Tensor t;
        try {
            t = Npy.read(file, PickleLimits.DEFAULT);
        } catch (ModelLoadException e) {
            FuzzFiles.assertCleanRejection(e, file);
            return;
        }
        try {
            readBack(t);
        } catch (PickleException e) {
            ErrorMessages.assertOneLine(e.getMessage());
        }
    }

    /**
     * Reads back every tensor reachable from v, visiting each container and tensor once: a pickle's memo lets a
     * few hundred bytes build a list holding the same list twice, thirty levels deep, which a walk that treats the
     * graph as a tree takes 2^30 steps over (the fuzzer found one; the loaders themselves read fixed paths).
     */
    private static void walk(Object v, int depth, Set<Object> seen) throws PickleException {
        if (depth > MAX_WALK || v == null || !seen.add(v)) {
            return;
        }
        if (v instanceof Tensor t) {
            readBack(t);
        } else if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getKey(), depth + 1, seen);
                walk(e.getValue(), depth + 1, seen);
            }
        } else if (v instanceof List<?> l) {
            for (Object o : l) {
                walk(o, depth + 1, seen);
            }
        } else if (v instanceof PyTuple tuple) {
            for (Object o : tuple.items()) {
                walk(o, depth + 1, seen);
            }
        }
    }

    /** Every element of the tensor can be read, and the shape's product is its element count. */
    private static void readBack(Tensor t) throws PickleException {
        long n = 1;
        for (long d : t.shape()) {
            assertTrue(d >= 0, () -> "negative dimension in " + t);
            n = Math.multiplyExact(n, d);
        }
        assertEquals(n, t.numel(), () -> "numel of " + t);
        Tensor.Data data = t.read();
        for (long i = 0; i < Math.min(n, 4096); i++) {
            data.doubleFlat(i);
        }
        if (n > 0) {
            data.doubleFlat(n - 1);
        }
    }
}
