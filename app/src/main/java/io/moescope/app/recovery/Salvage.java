package io.moescope.app.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * What can be saved of a trace file whose writer was killed: every line up to the last complete token line (a
 * position whose routing and token were both written), nothing of the position being computed, nor a line torn
 * in half. Streams the file once and parses only the token lines, so a long run costs one pass, not its size in
 * memory.
 *
 * @param validBytes the length of the file's sound prefix: replay reads exactly this much
 * @param positions  positions in that prefix (prompt and generated)
 * @param generated  generated (decode) tokens among them
 * @param prompt     the prompt as its tokens' texts, special ones included (or their ids, "1, 5, 9", for a model
 *                   without tokenizer); the run's own prompt text, when its metadata kept it, is better
 */
public record Salvage(long validBytes, int positions, int generated, String prompt) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] TOKEN = "{\"type\":\"token\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "{\"type\":\"end\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER = "{\"type\":\"header\"".getBytes(StandardCharsets.US_ASCII);
    /** Token lines are short; a longer one is not ours and ends the sound prefix. */
    private static final int MAX_TOKEN_LINE = 1 << 20;

    /** Whether anything is worth restoring: at least one position. */
    public boolean isEmpty() {
        return positions == 0;
    }

    /** Scans a recovery file; a file that does not start with a trace header salvages nothing. */
    public static Salvage scan(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        StringJoiner ids = new StringJoiner(", ");
        long offset = 0;
        long valid = 0;
        int positions = 0;
        int generated = 0;
        boolean first = true;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Line line = new Line();
            while (line.read(in)) {
                offset += line.length;
                if (!line.complete) {
                    break; // torn by the kill
                }
                if (first) {
                    if (!line.startsWith(HEADER)) {
                        break;
                    }
                    first = false;
                } else if (line.startsWith(END)) {
                    valid = offset;
                } else if (line.startsWith(TOKEN)) {
                    JsonNode token = line.json();
                    if (token == null) {
                        break;
                    }
                    positions++;
                    if ("decode".equals(token.path("phase").asText())) {
                        generated++;
                    } else if (generated == 0) {
                        text.append(token.path("text").asText(""));
                        ids.add(Integer.toString(token.path("id").asInt()));
                    }
                    valid = offset;
                }
            }
        }
        String prompt = text.toString().isBlank() ? ids.toString() : text.toString();
        return new Salvage(valid, positions, generated, prompt);
    }

    /** Copies the sound prefix of {@code file} to {@code out}. */
    public void copy(Path file, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long left = validBytes;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException(file + ": shorter than when it was scanned");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** One line of the file, read into a reused buffer (all of it up to {@link #MAX_TOKEN_LINE} bytes). */
    private static final class Line {
        private byte[] bytes = new byte[1 << 12];
        private int size;
        long length;
        boolean complete;

        boolean read(InputStream in) throws IOException {
            size = 0;
            length = 0;
            complete = false;
            int b;
            while ((b = in.read()) >= 0) {
                length++;
                if (b == '\n') {
                    complete = true;
                    return true;
                }
                if (size < MAX_TOKEN_LINE) {
                    if (size == bytes.length) {
                        bytes = Arrays.copyOf(bytes, bytes.length * 2);
                    }
                    bytes[size++] = (byte) b;
                }
            }
            return length > 0;
        }

        /** Whether the line, after the blanks Jackson puts between values, starts with {@code prefix}. */
        boolean startsWith(byte[] prefix) {
            int from = 0;
            while (from < size && (bytes[from] == ' ' || bytes[from] == '\t' || bytes[from] == '\r')) {
                from++;
            }
            return size - from >= prefix.length
                    && Arrays.equals(bytes, from, from + prefix.length, prefix, 0, prefix.length);
        }

        /** The line as JSON, or null when it is too long or not JSON. */
        JsonNode json() {
            if (length - 1 > MAX_TOKEN_LINE) {
                return null;
            }
            try {
                return JSON.readTree(bytes, 0, size);
            } catch (IOException e) {
                return null;
            }
        }
    }
}
