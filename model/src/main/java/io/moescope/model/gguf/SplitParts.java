package io.moescope.model.gguf;

import io.moescope.model.io.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gguf-split's convention: parts {@code <prefix>-00001-of-0000N.gguf} … in one directory, each a complete GGUF
 * file with {@code split.no} (0-based u16), {@code split.count} (u16) and {@code split.tensors.count} (i32, the
 * total over all parts). The first part carries the model metadata.
 */
final class SplitParts {

    static final String NO = "split.no";
    static final String COUNT = "split.count";
    static final String TENSORS = "split.tensors.count";
    static final int MAX_PARTS = 9999;

    private static final Pattern NAME = Pattern.compile("(.*)-(\\d{5})-of-(\\d{5})\\.gguf");

    private SplitParts() {}

    /** The parts after the first one (empty for an unsplit file), checked to exist. */
    static List<Path> others(Path first, Map<String, Object> metadata) throws ModelLoadException {
        int count = intKey(first, metadata, COUNT, 0);
        if (count <= 1) {
            return List.of();
        }
        if (count > MAX_PARTS) {
            throw ModelLoadException.at(first, COUNT + " is " + count + "; at most " + MAX_PARTS + " parts");
        }
        int no = intKey(first, metadata, NO, 0);
        String fileName = first.getFileName().toString();
        Matcher m = NAME.matcher(fileName);
        if (no != 0) {
            String hint = m.matches() ? ": open " + name(m.group(1), 1, count) + " instead" : "";
            throw ModelLoadException.at(first, "is part " + (no + 1) + " of " + count + " of a split model" + hint);
        }
        if (!m.matches()) {
            throw ModelLoadException.at(
                    first,
                    "is part 1 of " + count + " of a split model, but its name does"
                            + " not follow the <name>-00001-of-" + String.format("%05d", count)
                            + ".gguf pattern, so the"
                            + " other parts cannot be found");
        }
        List<Path> parts = new ArrayList<>();
        for (int i = 2; i <= count; i++) {
            Path part = first.resolveSibling(name(m.group(1), i, count));
            if (!part.toFile().isFile()) {
                throw ModelLoadException.at(
                        first,
                        "split part " + i + " of " + count + " is missing: expected " + part.getFileName()
                                + " in the same directory");
            }
            parts.add(part);
        }
        return parts;
    }

    /** Checks that a later part's split keys agree with the first part's. */
    static void checkPart(Path part, Map<String, Object> metadata, Map<String, Object> first)
            throws ModelLoadException {
        int count = intKey(part, metadata, COUNT, -1);
        int expected = intKey(part, first, COUNT, -1);
        if (count != expected) {
            throw ModelLoadException.at(part, COUNT + " is " + count + ", but the first part says " + expected);
        }
        Matcher m = NAME.matcher(part.getFileName().toString());
        int no = intKey(part, metadata, NO, -1);
        if (!m.matches() || no + 1 != Integer.parseInt(m.group(2))) {
            throw ModelLoadException.at(part, NO + " is " + no + ", which does not match the file name");
        }
    }

    /** Checks split.tensors.count (if present) against the tensors found in all parts. */
    static void checkTensorCount(Path first, Map<String, Object> metadata, int found) throws ModelLoadException {
        if (metadata.containsKey(TENSORS)) {
            int expected = intKey(first, metadata, TENSORS, -1);
            if (expected != found) {
                throw ModelLoadException.at(
                        first, TENSORS + " is " + expected + ", but the parts hold " + found + " tensors");
            }
        }
    }

    private static String name(String prefix, int part, int count) {
        return String.format("%s-%05d-of-%05d.gguf", prefix, part, count);
    }

    /** An integer key, or the fallback if it is absent and the fallback is not negative. */
    private static int intKey(Path file, Map<String, Object> metadata, String key, int fallback)
            throws ModelLoadException {
        if (fallback >= 0 && !metadata.containsKey(key)) {
            return fallback;
        }
        int v = new Metadata(file, metadata).intValue(key);
        if (v < 0) {
            throw ModelLoadException.at(file, "metadata key '" + key + "' is " + v + ", expected a count");
        }
        return v;
    }
}
