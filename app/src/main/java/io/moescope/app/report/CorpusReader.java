package io.moescope.app.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Turns corpus files into chunks of token ids. Formats by extension: {@code .jsonl} (one JSON object per line
 * with a string field {@code text}; each record is a document), {@code .ids} (one document per line, token ids
 * separated by spaces or commas), anything else plain UTF-8 text (lines joined by newlines, one running stream).
 * Documents are split into chunks of at most {@code chunkTokens} ids; text chunks start with the BOS id (if the
 * model has one). Lines that are not valid UTF-8 are skipped and counted, never guessed.
 */
public final class CorpusReader {

    /** Receives chunks; returns false to stop reading (cancel, token limit). */
    @FunctionalInterface
    public interface ChunkSink {
        boolean accept(int[] chunk) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TEXT_BLOCK_CHARS = 16_384;

    private final Function<String, int[]> encoder;
    private final int vocab;
    private final int chunkTokens;
    private final int bos;
    private long skippedLines;
    private final List<String> warnings = new ArrayList<>();
    private volatile long bytesRead;

    /** @param encoder text → ids without special tokens, or null if the model has no tokenizer (.ids only) */
    public CorpusReader(Function<String, int[]> encoder, int vocab, int chunkTokens, int bos) {
        if (chunkTokens < 2) {
            throw new IllegalArgumentException("chunks must hold at least 2 tokens, got " + chunkTokens);
        }
        this.encoder = encoder;
        this.vocab = vocab;
        this.chunkTokens = chunkTokens;
        this.bos = bos >= 0 && bos < vocab ? bos : -1;
    }

    public long skippedLines() {
        return skippedLines;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Bytes of corpus consumed so far (for progress), any thread. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Missing or empty files are refused before anything runs. */
    public static void checkFiles(List<Path> files) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no corpus given: pass --corpus FILE (.txt, .jsonl or .ids)");
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(f + ": corpus file not found");
            }
            if (Files.size(f) == 0) {
                throw new IllegalArgumentException(f + ": the corpus file is empty");
            }
        }
    }

    /** Reads one file; returns false if the sink asked to stop. */
    public boolean read(Path file, ChunkSink sink) throws Exception {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean ids = name.endsWith(".ids");
        boolean jsonl = name.endsWith(".jsonl");
        if (!ids && encoder == null) {
            throw new IllegalArgumentException(file + ": the model has no tokenizer.json, so only .ids corpora "
                    + "(token ids per line) can be used");
        }
        Chunker chunker = new Chunker(sink, chunkTokens, ids ? -1 : bos);
        StringBuilder text = new StringBuilder();
        long lineNo = 0;
        boolean any = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b = 0;
            while (b >= 0) {
                line.reset();
                while ((b = in.read()) >= 0 && b != '\n') {
                    line.write(b);
                }
                if (b < 0 && line.size() == 0) {
                    break;
                }
                lineNo++;
                bytesRead += line.size() + 1;
                String s = decode(line.toByteArray(), file, lineNo);
                if (s == null) {
                    continue;
                }
                boolean more;
                if (ids) {
                    int[] doc = parseIds(s, file, lineNo);
                    any |= doc.length > 0;
                    more = chunker.document(doc);
                } else if (jsonl) {
                    String doc = jsonText(s, file, lineNo);
                    any |= doc != null && !doc.isEmpty();
                    more = doc == null || doc.isEmpty() || chunker.document(encoder.apply(doc));
                } else {
                    text.append(s).append('\n');
                    any |= !s.isBlank();
                    more = text.length() < TEXT_BLOCK_CHARS || chunker.stream(encode(text));
                }
                if (!more) {
                    return false;
                }
            }
        }
        if (!any) {
            throw new IllegalArgumentException(file + ": empty corpus: no text in " + lineNo + " lines");
        }
        return (text.length() == 0 || chunker.stream(encode(text))) && chunker.flush();
    }

    private int[] encode(StringBuilder text) {
        int[] out = encoder.apply(text.toString());
        text.setLength(0);
        return out;
    }

    private String decode(byte[] bytes, Path file, long lineNo) {
        CharsetDecoder d = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String s = d.decode(ByteBuffer.wrap(bytes)).toString();
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        } catch (CharacterCodingException e) {
            if (skippedLines++ < 5) {
                warnings.add(file + ":" + lineNo + ": not valid UTF-8, line skipped");
            }
            return null;
        }
    }

    private int[] parseIds(String s, Path file, long lineNo) {
        String t = s.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split("[\\s,]+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": '" + parts[i] + "' is not a token id");
            }
            if (out[i] < 0 || out[i] >= vocab) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": token id " + out[i]
                        + " is outside the model's vocabulary 0.." + (vocab - 1));
            }
        }
        return out;
    }

    private static String jsonText(String s, Path file, long lineNo) {
        if (s.isBlank()) {
            return null;
        }
        JsonNode n;
        try {
            n = JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": not valid JSON");
        }
        JsonNode text = n == null ? null : n.get("text");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": the record has no string field \"text\"");
        }
        return text.asText();
    }
}
