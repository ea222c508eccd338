package io.moescope.model.recording;

import io.moescope.model.trace.ModelShape;
import java.util.List;
import java.util.Locale;

/** {@code layer_id,expert_id,count} rows, as SGLang's first recorder wrote them (serving-traces.md §2.4). */
final class CountsCsv {

    private CountsCsv() {}

    /** True if the first line names layer, expert and count columns. */
    static boolean looksLike(String firstLine) {
        String h = firstLine.toLowerCase(Locale.ROOT);
        return h.contains("layer") && h.contains("expert") && h.contains("count") && h.contains(",");
    }

    /** One counts sequence from the rows (a pair may repeat; its counts add up). */
    static void read(List<String> lines, TraceOut out) throws RecordingException {
        ModelShape s = out.shape();
        String[] header = lines.get(0).toLowerCase(Locale.ROOT).split(",");
        int layerCol = column(header, "layer");
        int expertCol = column(header, "expert");
        int countCol = column(header, "count");
        long[][] all = new long[s.layerCount()][s.routedExperts()];
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",");
            if (f.length != header.length) {
                throw new RecordingException(
                        "line " + (n + 1) + " has " + f.length + " fields, the header " + header.length);
            }
            long layer;
            long expert;
            long count;
            try {
                layer = Long.parseLong(f[layerCol].trim());
                expert = Long.parseLong(f[expertCol].trim());
                count = Long.parseLong(f[countCol].trim());
            } catch (NumberFormatException e) {
                throw new RecordingException("line " + (n + 1) + " is not three integers: " + line);
            }
            if (layer < 0 || layer >= s.layerCount()) {
                throw new RecordingException("line " + (n + 1) + ": layer " + layer + " is outside the model config's "
                        + s.layerCount() + " layers");
            }
            out.checkExpert((int) Math.max(-1, Math.min(Integer.MAX_VALUE, expert)), (int) layer);
            if (count < 0) {
                throw new RecordingException("line " + (n + 1) + ": negative count " + count);
            }
            all[(int) layer][(int) expert] = Math.addExact(all[(int) layer][(int) expert], count);
        }
        out.counts(SglangDump.moeRows(all, s));
    }

    private static int column(String[] header, String name) throws RecordingException {
        for (int i = 0; i < header.length; i++) {
            if (header[i].trim().startsWith(name)) {
                return i;
            }
        }
        throw new RecordingException("CSV header has no " + name + " column");
    }
}
