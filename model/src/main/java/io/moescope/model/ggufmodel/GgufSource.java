package io.moescope.model.ggufmodel;

import io.moescope.model.family.GgufForm;
import io.moescope.model.gguf.GgmlType;
import io.moescope.model.gguf.GgufFile;
import io.moescope.model.gguf.GgufTensor;
import io.moescope.model.gguf.QuantizedMatrix;
import io.moescope.model.io.DType;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.io.TensorInfo;
import io.moescope.model.io.TensorSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GGUF file's tensors under their Hugging Face names and shapes, through the family's {@link GgufForm}: a stacked
 * {@code _exps} tensor [E, out, in] appears as E per-expert [out, in] tensors, each a row block of the stacked one
 * (nothing copied), and q/k rows the converter permuted are put back in Hugging Face order when read. A DeepSeek
 * {@code kv_b_proj} that a recent converter split into {@code attn_k_b}/{@code attn_v_b} is one F32 tensor rebuilt
 * row by row on read ({@link MlaSplit}). Values the converter changed ({@link GgufForm#stored}: 1 + w norms,
 * −exp(A_log)) are changed back when read.
 */
public final class GgufSource implements TensorSource {

    /**
     * Where one Hugging Face tensor lives in the file.
     *
     * @param tensor   the GGUF tensor
     * @param firstRow its first row (e·out for expert e of a stacked tensor)
     * @param order    Hugging Face row r is stored row {@code firstRow + order[r]} (for a vector: element); null =
     *                 the stored order
     */
    public record Slice(GgufTensor tensor, long firstRow, int[] order) {}

    private final GgufFile gguf;
    private final Map<String, TensorInfo> tensors;
    private final Map<TensorInfo, Slice> slices;
    private final Map<TensorInfo, MlaSplit> splits;
    private final Map<TensorInfo, GgufForm.Stored> changed;
    private final Map<GgufTensor, QuantizedMatrix> matrices = new ConcurrentHashMap<>();

    private GgufSource(
            GgufFile gguf,
            Map<String, TensorInfo> tensors,
            Map<TensorInfo, Slice> slices,
            Map<TensorInfo, MlaSplit> splits,
            Map<TensorInfo, GgufForm.Stored> changed) {
        this.gguf = gguf;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.slices = slices;
        this.splits = splits;
        this.changed = changed;
    }

    /**
     * Names the tensors of {@code gguf} as the form maps them, for a model of {@code layers} layers with
     * {@code heads}/{@code kvHeads} attention heads (for the q/k permutation).
     */
    public static GgufSource of(GgufFile gguf, GgufForm form, int layers, int heads, int kvHeads)
            throws ModelLoadException {
        Map<String, TensorInfo> named = new LinkedHashMap<>();
        Map<TensorInfo, Slice> slices = new IdentityHashMap<>();
        Map<TensorInfo, GgufForm.Stored> changed = new IdentityHashMap<>();
        // layers past the file's last blk.N tensor have none to name: a block_count of thousands (a damaged or
        // hostile file) costs a loop over the tensors, not thousands of name look-ups per tensor kind
        int blocks = Math.min(layers, blocksPresent(gguf));
        for (Map.Entry<String, String> e : form.tensors().entrySet()) {
            boolean perLayer = e.getKey().contains("{N}");
            for (int n = 0; n < (perLayer ? blocks : 1); n++) {
                String hf = e.getKey().replace("{N}", Integer.toString(n));
                GgufTensor t = gguf.tensors().get(e.getValue().replace("{N}", Integer.toString(n)));
                if (t == null) {
                    continue;
                }
                if (hf.contains("{E}")) {
                    addExperts(hf, t, named, slices);
                } else {
                    long[] shape = t.shape(); // numpy order
                    if (form.rowVectors().contains(e.getKey())) { // the unit dimension GGUF drops, if it did
                        if (t.dimCount() == 1) {
                            shape = new long[] {1, shape[0]};
                        } else if (t.dimCount() == 2 && shape[0] > 1) {
                            shape = new long[] {shape[0], 1, shape[1]};
                        }
                    }
                    int[] order = form.permutedQk() ? ropeOrder(hf, t, heads, kvHeads) : null;
                    TensorInfo info = info(t.name(), t, shape, t.fileOffset(), t.byteSize());
                    put(named, slices, hf, info, new Slice(t, 0, order));
                    GgufForm.Stored how = form.stored().get(e.getKey());
                    if (how != null) {
                        changed.put(info, how);
                    }
                }
            }
        }
        Map<TensorInfo, MlaSplit> splits = new IdentityHashMap<>();
        String kvB = "model.layers.{N}.self_attn.kv_b_proj.weight";
        for (int n = 0; form.tensors().containsKey(kvB) && n < blocks; n++) {
            GgufTensor k = gguf.tensors().get("blk." + n + ".attn_k_b.weight");
            GgufTensor v = gguf.tensors().get("blk." + n + ".attn_v_b.weight");
            String hf = kvB.replace("{N}", Integer.toString(n));
            if (k != null && v != null && !named.containsKey(hf)) {
                MlaSplit split = MlaSplit.of(k, v);
                long[] shape = split.shape();
                TensorInfo info = new TensorInfo(
                        k.name() + " + " + v.name(),
                        k.file(),
                        DType.F32,
                        shape,
                        k.fileOffset(),
                        shape[0] * shape[1] * Float.BYTES);
                named.put(hf, info);
                splits.put(info, split);
            }
        }
        return new GgufSource(gguf, named, slices, splits, changed);
    }

    /** 1 + the largest N of the file's {@code blk.N.*} tensors (0 if it has none). */
    static int blocksPresent(GgufFile gguf) {
        int blocks = 0;
        for (String name : gguf.tensors().keySet()) {
            if (!name.startsWith("blk.")) {
                continue;
            }
            int end = name.indexOf('.', 4);
            if (end <= 4 || end > 13) { // at most 9 digits: an int
                continue;
            }
            int n = 0;
            boolean digits = true;
            for (int i = 4; i < end && digits; i++) {
                char c = name.charAt(i);
                digits = c >= '0' && c <= '9';
                n = 10 * n + (c - '0');
            }
            if (digits) {
                blocks = Math.max(blocks, n + 1);
            }
        }
        return blocks;
    }

    /** Expert e of a stacked [E, out, in] tensor is rows [e·out, (e+1)·out). */
    private static void addExperts(
            String hf, GgufTensor t, Map<String, TensorInfo> named, Map<TensorInfo, Slice> slices)
            throws ModelLoadException {
        if (t.dimCount() != 3) {
            throw ModelLoadException.at(
                    t.file(),
                    "tensor '" + t.name() + "' has " + t.dimCount()
                            + " dimensions; stacked experts are [in, out, experts]");
        }
        long out = t.dim(1);
        long bytes = out * t.rowBytes();
        for (int x = 0; x < t.dim(2); x++) {
            put(
                    named,
                    slices,
                    hf.replace("{E}", Integer.toString(x)),
                    info(
                            t.name() + " (expert " + x + ")",
                            t,
                            new long[] {out, t.dim(0)},
                            t.fileOffset() + x * bytes,
                            bytes),
                    new Slice(t, x * out, null));
        }
    }

    private static void put(
            Map<String, TensorInfo> named, Map<TensorInfo, Slice> slices, String hf, TensorInfo info, Slice slice) {
        named.put(hf, info);
        slices.put(info, slice);
    }

    private static TensorInfo info(String name, GgufTensor t, long[] shape, long offset, long bytes) {
        return new TensorInfo(name, t.file(), dtypeOf(t.type()), shape, offset, bytes);
    }

    /** F32/F16/BF16 keep their dtype (the mapped half and FP32 paths read them); anything else is blocks. */
    static DType dtypeOf(GgmlType type) {
        switch (type) {
            case F32:
                return DType.F32;
            case F16:
                return DType.F16;
            case BF16:
                return DType.BF16;
            default:
                return DType.GGML_BLOCKS;
        }
    }

    /**
     * The inverse of the converter's q/k permutation (gguf.md §3.4), or null for other tensors: per head of d rows,
     * Hugging Face row j·d/2 + i (j ∈ {0, 1}) is stored row 2i + j.
     */
    private static int[] ropeOrder(String hf, GgufTensor t, int heads, int kvHeads) throws ModelLoadException {
        int h;
        if (hf.endsWith("self_attn.q_proj.weight") || hf.endsWith("self_attn.q_proj.bias")) {
            h = heads;
        } else if (hf.endsWith("self_attn.k_proj.weight") || hf.endsWith("self_attn.k_proj.bias")) {
            h = kvHeads;
        } else {
            return null;
        }
        long rows = t.dimCount() == 1 ? t.dim(0) : t.rowCount();
        if (rows % (2L * h) != 0 || rows > Integer.MAX_VALUE) {
            throw ModelLoadException.at(
                    t.file(),
                    "tensor '" + t.name() + "' has " + rows + " rows, which " + h
                            + " heads of an even width cannot have");
        }
        int d = (int) (rows / h);
        int[] order = new int[(int) rows];
        for (int head = 0; head < h; head++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < d / 2; i++) {
                    order[head * d + j * (d / 2) + i] = head * d + 2 * i + j;
                }
            }
        }
        return order;
    }

    /** How the converter changed a tensor's values (undone by readFloats / readRows), or null. */
    public GgufForm.Stored stored(TensorInfo t) {
        return changed.get(t);
    }

    /** The open file. */
    public GgufFile file() {
        return gguf;
    }

    /** Where a tensor of this source lives (not for kv_b_proj rebuilt from a split pair: it is read by rows). */
    public Slice slice(TensorInfo t) {
        Slice s = slices.get(t);
        if (s == null && splits.containsKey(t)) {
            throw new IllegalStateException(t.name() + " is rebuilt from two tensors; read it by rows");
        }
        if (s == null) {
            throw new IllegalArgumentException(t.name() + " is not a tensor of " + gguf.file());
        }
        return s;
    }

    /** The block decoder over a tensor's mapped data (one per GGUF tensor, shared by its slices). */
    public QuantizedMatrix matrix(GgufTensor t) throws ModelLoadException {
        QuantizedMatrix m = matrices.get(t);
        if (m == null) {
            m = gguf.matrix(t.name());
            matrices.putIfAbsent(t, m);
        }
        return m;
    }

    @Override
    public Path location() {
        return gguf.file();
    }

    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorInfo info(String name) throws ModelLoadException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw ModelLoadException.at(
                    gguf.file(),
                    "missing tensor for '" + name + "' (the file has "
                            + gguf.tensors().size() + " tensors)");
        }
        return t;
    }

    @Override
    public ByteBuffer map(TensorInfo t, long offsetInTensor, long length) throws ModelLoadException {
        Slice s = slice(t);
        if (s.order() != null || changed.containsKey(t)) {
            throw new IllegalStateException(t.name() + " is stored permuted or changed; read it by rows");
        }
        if (offsetInTensor < 0 || length < 0 || offsetInTensor + length > t.byteLength()) {
            throw new IllegalArgumentException("bad range " + offsetInTensor + "+" + length + " of " + t.name());
        }
        return gguf.map(s.tensor(), t.offset() - s.tensor().fileOffset() + offsetInTensor, length);
    }

    @Override
    public float[] readFloats(TensorInfo t) throws ModelLoadException {
        long n = t.elementCount();
        long cols = t.dim(t.rank() - 1);
        if (n > Integer.MAX_VALUE - 8) {
            throw ModelLoadException.at(
                    t.file(), "tensor '" + t.name() + "' has " + n + " elements, too many for one FP32 array");
        }
        float[] out = new float[(int) n];
        if (splits.containsKey(t)) {
            readRows(t, 0, (int) (n / cols), out, 0);
            return out;
        }
        Slice s = slice(t);
        if (t.rank() == 1 || s.tensor().dimCount() == 1) { // a vector: the order, if any, is over its elements
            float[] raw = new float[(int) n];
            matrix(s.tensor()).dequantizeRow(s.firstRow(), raw, 0);
            for (int i = 0; i < n; i++) {
                out[i] = raw[s.order() == null ? i : s.order()[i]];
            }
            undo(t, out, 0, (int) n);
            return out;
        }
        readRows(t, 0, (int) (n / cols), out, 0);
        return out;
    }

    @Override
    public void readRows(TensorInfo t, long firstRow, int rows, float[] dst, int dstOffset) throws ModelLoadException {
        MlaSplit split = splits.get(t);
        if (split != null) {
            split.readRows(matrix(split.keys()), matrix(split.values()), firstRow, rows, dst, dstOffset);
            return;
        }
        Slice s = slice(t);
        QuantizedMatrix m = matrix(s.tensor());
        int cols = m.cols();
        for (int r = 0; r < rows; r++) {
            long row = firstRow + r;
            long stored = s.order() == null ? row : s.order()[(int) row];
            m.dequantizeRow(s.firstRow() + stored, dst, dstOffset + r * cols);
        }
        undo(t, dst, dstOffset, rows * cols);
    }

    private void undo(TensorInfo t, float[] values, int from, int count) {
        GgufForm.Stored how = changed.get(t);
        for (int i = from; how != null && i < from + count; i++) {
            values[i] = how.undo(values[i]);
        }
    }

    @Override
    public void close() {
        gguf.close();
    }
}
