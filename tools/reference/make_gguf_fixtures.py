"""GGUF reader fixtures: block dequantisation goldens, metadata of every value type, a v2 file, a split model.

Writes model/src/test/resources/gguf/:
  blocks.gguf          one tensor per supported ggml type, "blocks.<TYPE>", numpy shape [4, 256] (ne = [256, 4]),
                       written by gguf-py's GGUFWriter, plus metadata of every value type (see META below)
  expected/<TYPE>.f32  gguf-py's quants.dequantize of that tensor: 1024 raw little-endian float32
  v2.gguf              a GGUF version 2 file packed by hand with struct (GGUFWriter only writes v3)
  ggml_types.tsv       name, id, block size, type size of every type in gguf-py's GGML_QUANT_SIZES
  split-0000N-of-00003.gguf   a 3-part split model (GGUFWriter split_max_tensors=1)

Rows 0-1 of each block tensor come from gguf's quants.quantize of N(0,1) data where gguf-py can quantise the type,
random block bytes with random f16 scales otherwise; rows 2-3 are random bytes whose scale fields cycle through
extremes (0, -0, subnormals, max half, negative). Deterministic: re-running leaves git status clean.
"""
import os
import struct
import sys
from importlib.metadata import version

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf import GGUFValueType as V
from gguf import quants

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(REPO_ROOT, "model", "src", "test", "resources", "gguf")
ROWS, COLS = 4, 256

# Byte offsets of the f16 scale fields (d, dmin/m) inside one block; MXFP4 has a u8 E8M0 exponent at 0.
SCALES = {
    T.Q4_0: [0], T.Q4_1: [0, 2], T.Q5_0: [0], T.Q5_1: [0, 2], T.Q8_0: [0],
    T.Q2_K: [80, 82], T.Q3_K: [108], T.Q4_K: [0, 2], T.Q5_K: [0, 2], T.Q6_K: [208],
    T.IQ4_NL: [0], T.IQ4_XS: [0], T.MXFP4: [0],
}
QUANTIZABLE = {T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q8_0, T.MXFP4}
EXTREME_F16 = [0x0000, 0x8000, 0x0001, 0x03FF, 0x0400, 0x7BFF, 0xFBFF, 0xBC00, 0x3C00, 0x8001, 0x2E66, 0xC500]
EXTREME_E8M0 = [0, 1, 2, 126, 127, 128, 200, 254, 255]
# Special float values written into the float tensors (quiet NaNs only: signalling NaNs may be quieted on load).
SPECIAL_F32 = [0x7F800000, 0xFF800000, 0x7FC00000, 0x7FC00123, 0x00000001, 0x80000001, 0x7F7FFFFF, 0x80000000]
SPECIAL_F16 = [0x7C00, 0xFC00, 0x7E00, 0x0001, 0x8001, 0x7BFF, 0x8000, 0x03FF]
SPECIAL_BF16 = [0x7F80, 0xFF80, 0x7FC0, 0x7FC1, 0x0001, 0x8001, 0x7F7F, 0x8000]

# (key, value type, value[, array element type]) -- the Java test asserts exactly these values.
META = [
    ("test.u8", V.UINT8, 200),
    ("test.i8", V.INT8, -100),
    ("test.u16", V.UINT16, 60000),
    ("test.i16", V.INT16, -30000),
    ("test.u32", V.UINT32, 4000000000),
    ("test.i32", V.INT32, -2000000000),
    ("test.f32", V.FLOAT32, 0.1),
    ("test.bool_true", V.BOOL, True),
    ("test.bool_false", V.BOOL, False),
    ("test.string", V.STRING, "h\u00e9llo \u2713 \U0001F642"),
    ("test.empty_string", V.STRING, ""),
    ("test.u64", V.UINT64, 2**63 - 1),
    ("test.i64", V.INT64, -(2**62) - 5),
    ("test.f64", V.FLOAT64, 1e-300),
    ("test.strings", V.ARRAY, ["a", "", "\u00fcn\u00ef", "<0x0A>", "\u2581Hello"], V.STRING),
    ("test.u8s", V.ARRAY, [0, 1, 255], V.UINT8),
    ("test.i32s", V.ARRAY, [1, -2, 2147483647], V.INT32),
    ("test.f32s", V.ARRAY, [0.5, -1.25, 3.0e38], V.FLOAT32),
    ("test.bools", V.ARRAY, [True, False, True], V.BOOL),
    ("test.nested", V.ARRAY, [[1, 2], [3]], V.ARRAY),
]


def f16_bits(values):
    return np.asarray(values, dtype=np.float32).astype(np.float16).view(np.uint16)


def random_blocks(rng, qtype, n_blocks, extremes):
    """n_blocks random blocks; scale fields random sane f16 values, or cycling through extremes."""
    _, type_size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    for b in range(n_blocks):
        for k, off in enumerate(SCALES[qtype]):
            if qtype == T.MXFP4:
                raw[b, off] = EXTREME_E8M0[(b + k) % len(EXTREME_E8M0)] if extremes else rng.integers(110, 135)
                continue
            bits = EXTREME_F16[(3 * b + k) % len(EXTREME_F16)] if extremes else int(f16_bits(rng.normal(0, 0.05)))
            raw[b, off:off + 2] = np.frombuffer(np.uint16(bits).tobytes(), dtype=np.uint8)
    return raw


def block_tensor(rng, qtype):
    """[ROWS, bytes per row] uint8 of one quantised type."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    per_row = COLS // block_size
    if qtype in QUANTIZABLE:
        top = quants.quantize(rng.normal(0, 1, size=(2, COLS)).astype(np.float32), qtype)
    else:
        top = random_blocks(rng, qtype, 2 * per_row, False).reshape(2, per_row * type_size)
    bottom = random_blocks(rng, qtype, 2 * per_row, True).reshape(2, per_row * type_size)
    return np.concatenate([top, bottom], axis=0)


def float_tensor(rng, qtype):
    """F32 / F16 / BF16 data as (array to write, raw dtype or None)."""
    data = rng.normal(0, 1, size=(ROWS, COLS)).astype(np.float32)
    data[3] *= np.float32(1e-38)                       # float32 subnormals; f16/bf16 underflow and subnormals
    if qtype == T.F32:
        bits = data.view(np.uint32)
        bits[2, :len(SPECIAL_F32)] = SPECIAL_F32
        return data, None
    if qtype == T.F16:
        half = data.astype(np.float16)
        bits = half.view(np.uint16)
        bits[2, :len(SPECIAL_F16)] = SPECIAL_F16
        bits[3, :] = rng.integers(0, 0x7C00, size=COLS) | (rng.integers(0, 2, size=COLS) << 15)  # all finite
        return half, None
    raw = quants.quantize(data, T.BF16).view(np.uint16)      # round-to-nearest-even, as ggml writes it
    raw[2, :len(SPECIAL_BF16)] = SPECIAL_BF16
    raw[3, :] = rng.integers(0, 0x7F80, size=COLS) | (rng.integers(0, 2, size=COLS) << 15)
    return raw.view(np.uint8), T.BF16


def write_blocks(path, expected_dir):
    rng = np.random.default_rng(20250611)
    writer = gguf.GGUFWriter(path, arch="blocktest")
    for entry in META:
        key, vtype, value = entry[:3]
        writer.add_key_value(key, value, vtype, sub_type=entry[3] if len(entry) > 3 else None)
    os.makedirs(expected_dir, exist_ok=True)
    types = [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q2_K, T.Q3_K, T.Q4_K, T.Q5_K,
             T.Q6_K, T.IQ4_NL, T.IQ4_XS, T.MXFP4]
    expected = {}
    for qtype in types:
        if qtype in (T.F32, T.F16, T.BF16):
            data, raw_dtype = float_tensor(rng, qtype)
        else:
            data, raw_dtype = block_tensor(rng, qtype), qtype
        with np.errstate(over="ignore"):           # MXFP4 with e = 255 times 12 is +-inf, as in ggml
            values = quants.dequantize(data, qtype).astype(np.float32, copy=False)
        assert values.shape == (ROWS, COLS), (qtype, values.shape)
        expected[qtype] = values
        writer.add_tensor("blocks." + qtype.name, data, raw_dtype=raw_dtype)
        values.astype("<f4").tofile(os.path.join(expected_dir, qtype.name + ".f32"))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    # Read back with gguf-py's own reader: same types, shapes and (dequantised) values.
    reader = gguf.GGUFReader(path)
    assert len(reader.tensors) == len(types)
    for t in reader.tensors:
        qtype = T[t.name.split(".", 1)[1]]
        assert t.tensor_type == qtype and list(t.shape) == [COLS, ROWS], t
        with np.errstate(over="ignore"):
            again = quants.dequantize(np.asarray(t.data), qtype).reshape(ROWS, COLS)
        assert np.array_equal(again.view(np.uint32), expected[qtype].view(np.uint32)), qtype
    nan_free = [q.name for q in types if q not in (T.F32, T.F16, T.BF16) and np.isnan(expected[q]).any()]
    assert not nan_free, nan_free


def gguf_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def write_v2(path):
    """GGUF v2 by hand: 3 keys (string, u32 alignment 64, f32 array), one F32 tensor ne=[8, 2] = arange(16)/2."""
    kv = gguf_string("general.architecture") + struct.pack("<I", 8) + gguf_string("v2test")
    kv += gguf_string("general.alignment") + struct.pack("<II", 4, 64)
    kv += gguf_string("v2test.scales") + struct.pack("<IIQ", 9, 6, 2) + struct.pack("<ff", 1.5, -2.0)
    info = gguf_string("weight") + struct.pack("<I", 2) + struct.pack("<QQ", 8, 2) + struct.pack("<I", 0)
    info += struct.pack("<Q", 0)
    head = struct.pack("<IIQQ", 0x46554747, 2, 1, 3) + kv + info
    head += b"\0" * (-len(head) % 64)
    with open(path, "wb") as f:
        f.write(head + (np.arange(16, dtype="<f4") / 2).tobytes())
    reader = gguf.GGUFReader(path)
    assert reader.tensors[0].name == "weight" and np.array_equal(reader.tensors[0].data.ravel(), np.arange(16) / 2)


def write_split(directory):
    """3 parts, one tensor each: F32 'a' [2, 3], Q8_0 'b' [32, 2], F16 'c' [4]. Default alignment: gguf-py writes
    general.alignment only into the first part but pads every part with it, so a custom one would be misread."""
    writer = gguf.GGUFWriter(os.path.join(directory, "split.gguf"), arch="splittest", split_max_tensors=1)
    writer.add_uint32("splittest.block_count", 7)
    writer.add_tensor("a", (np.arange(6, dtype=np.float32) - 2).reshape(3, 2))
    writer.add_tensor("b", quants.quantize((np.arange(64, dtype=np.float32) / 8).reshape(2, 32), T.Q8_0),
                      raw_dtype=T.Q8_0)
    writer.add_tensor("c", np.array([1, -1, 0.5, 65504], dtype=np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def write_types(path):
    with open(path, "w", newline="\n") as f:
        for qtype, (block_size, type_size) in sorted(gguf.GGML_QUANT_SIZES.items(), key=lambda kv: int(kv[0])):
            f.write(f"{qtype.name}\t{int(qtype)}\t{block_size}\t{type_size}\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    write_types(os.path.join(OUT, "ggml_types.tsv"))
    write_blocks(os.path.join(OUT, "blocks.gguf"), os.path.join(OUT, "expected"))
    write_v2(os.path.join(OUT, "v2.gguf"))
    write_split(OUT)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs)
    print(f"gguf fixtures written to {OUT}: {total} bytes (gguf {version('gguf')})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
