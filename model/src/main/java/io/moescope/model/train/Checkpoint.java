package io.moescope.model.train;

import io.moescope.base.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Binary checkpoint: step, weights, AdamW moments and aux-free biases, written through {@link AtomicFiles}. */
final class Checkpoint {
    private static final int MAGIC = 0x4D6F4543; // "MoEC"

    private Checkpoint() {}

    static void save(Path file, int step, Model model, double trainedTokens) throws IOException {
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(step);
            out.writeDouble(trainedTokens);
            for (Param p : model.params().all()) {
                out.writeUTF(p.name);
                out.writeInt(p.value.length());
                writeFloats(out, p.value.a);
                writeFloats(out, p.m);
                writeFloats(out, p.v);
            }
            for (MoeLayer m : model.moe) {
                if (m != null) {
                    writeFloats(out, m.router.bias);
                }
            }
            out.flush();
        });
    }

    /** Loads into model; returns {step, trainedTokens}. */
    static double[] load(Path file, Model model) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a MoE Scope checkpoint: " + file);
            }
            int step = in.readInt();
            double tokens = in.readDouble();
            for (Param p : model.params().all()) {
                String name = in.readUTF();
                int n = in.readInt();
                if (!name.equals(p.name) || n != p.value.length()) {
                    throw new IOException("checkpoint " + file + " does not match the model: found " + name + " [" + n
                            + "], expected " + p.name + " [" + p.value.length() + "]");
                }
                readFloats(in, p.value.a);
                readFloats(in, p.m);
                readFloats(in, p.v);
                p.value.push();
            }
            for (MoeLayer m : model.moe) {
                if (m != null) {
                    readFloats(in, m.router.bias);
                }
            }
            return new double[] {step, tokens};
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        byte[] buf = new byte[a.length * 4];
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().put(a);
        out.write(buf);
    }

    private static void readFloats(DataInputStream in, float[] a) throws IOException {
        byte[] buf = new byte[a.length * 4];
        in.readFully(buf);
        java.nio.ByteBuffer.wrap(buf).asFloatBuffer().get(a);
    }
}
