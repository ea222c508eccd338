package io.moescope.model.recording.pickle;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes the small part of {@code torch.save}'s format that a placement file needs: a dict of names to 2-D int64
 * tensors (C order), as the protocol-2 pickle and zip records torch 2.x writes ({@code data.pkl}, one
 * {@code data/<key>} storage per tensor, 64-byte aligned, {@code byteorder}, {@code version}). Only the opcodes,
 * globals and persistent ids that {@code torch.load(f, weights_only=True)} and {@link TorchFile} accept.
 */
public final class TorchWriter {

    private static final String PREFIX = "archive/";
    private static final int ALIGNMENT = 64;

    private TorchWriter() {}

    /** Writes {name → [rows][cols] int64} (every row the same length) to {@code out}; does not close it. */
    public static void writeLongMatrices(Map<String, long[][]> tensors, OutputStream out) throws IOException {
        Map<String, byte[]> storages = new LinkedHashMap<>();
        Pickle p = new Pickle();
        p.op(0x80).op(2); // PROTO 2
        p.op('}'); // EMPTY_DICT
        for (Map.Entry<String, long[][]> t : tensors.entrySet()) {
            long[][] m = t.getValue();
            int rows = m.length;
            int cols = rows == 0 ? 0 : m[0].length;
            ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(rows, cols), 8))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (long[] row : m) {
                if (row.length != cols) {
                    throw new IllegalArgumentException(t.getKey() + ": rows of " + cols + " and " + row.length);
                }
                for (long v : row) {
                    data.putLong(v);
                }
            }
            String key = Integer.toString(storages.size());
            storages.put(key, data.array());
            p.unicode(t.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(');
            p.op('(')
                    .unicode("storage")
                    .global("torch", "LongStorage")
                    .unicode(key)
                    .unicode("cpu")
                    .integer(rows * cols)
                    .op('t')
                    .op('Q'); // TUPLE, BINPERSID
            p.integer(0); // storage offset
            p.integer(rows).integer(cols).op(0x86); // size: TUPLE2
            p.integer(cols).integer(1).op(0x86); // stride (elements)
            p.op(0x89); // requires_grad: NEWFALSE
            p.global("collections", "OrderedDict").op(')').op('R'); // backward hooks: OrderedDict()
            p.op('t').op('R'); // TUPLE, REDUCE: the tensor
            p.op('s'); // SETITEM
        }
        p.op('.');
        Counting counted = new Counting(out);
        ZipOutputStream zip = new ZipOutputStream(counted);
        record(zip, counted, "data.pkl", p.bytes.toByteArray());
        record(zip, counted, ".format_version", "1".getBytes(StandardCharsets.US_ASCII));
        record(zip, counted, ".storage_alignment", Integer.toString(ALIGNMENT).getBytes(StandardCharsets.US_ASCII));
        record(zip, counted, "byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        for (Map.Entry<String, byte[]> s : storages.entrySet()) {
            record(zip, counted, "data/" + s.getKey(), s.getValue());
        }
        record(zip, counted, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
        zip.flush();
    }

    /** A stored (uncompressed) entry whose data starts at a multiple of 64 bytes, padded by an extra field. */
    private static void record(ZipOutputStream zip, Counting counted, String name, byte[] data) throws IOException {
        zip.flush();
        ZipEntry e = new ZipEntry(PREFIX + name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTime(315532800000L + 86_400_000L); // a fixed DOS time: the same plan writes the same bytes
        int header = 30 + (PREFIX + name).getBytes(StandardCharsets.UTF_8).length + 4;
        int pad = (int) ((ALIGNMENT - (counted.count + header) % ALIGNMENT) % ALIGNMENT);
        byte[] extra = new byte[4 + pad];
        extra[0] = 'F';
        extra[1] = 'B';
        extra[2] = (byte) pad;
        extra[3] = (byte) (pad >>> 8);
        e.setExtra(extra);
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }

    /** The pickle opcodes written here. */
    private static final class Pickle {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pickle op(int code) {
            bytes.write(code);
            return this;
        }

        Pickle unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le32(b.length);
            bytes.writeBytes(b);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            bytes.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickle integer(int v) {
            op('J'); // BININT, signed 32-bit
            le32(v);
            return this;
        }

        private void le32(int v) {
            bytes.write(v);
            bytes.write(v >>> 8);
            bytes.write(v >>> 16);
            bytes.write(v >>> 24);
        }
    }

    /** Counts the bytes written, for the alignment of the next entry. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
