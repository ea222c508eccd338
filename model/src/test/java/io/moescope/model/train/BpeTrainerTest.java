package io.moescope.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moescope.model.tokenizer.DjlTokenizers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTrainerTest {
    @TempDir
    Path tmp;

    private List<Path> corpus() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String d : TinyTraining.DOMAINS) {
            Path p = tmp.resolve(d);
            TinyTraining.copyResource(d, p);
            files.add(p);
        }
        return files;
    }

    @Test
    void roundTripsAllFourDomainsThroughHuggingFaceTokenizers() throws Exception {
        List<Path> files = corpus();
        BpeTrainer.Result r = BpeTrainer.train(files, 400, tmp.resolve("tok"), false);
        assertEquals(400, r.vocabSize());
        try (HuggingFaceTokenizer tok = DjlTokenizers.builder()
                .optTokenizerPath(r.tokenizerJson())
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .build()) {
            for (Path f : files) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                String sample = text.substring(0, Math.min(2000, text.length()));
                long[] ids = tok.encode(sample).getIds();
                assertTrue(ids.length < sample.getBytes(StandardCharsets.UTF_8).length, "BPE compresses " + f);
                assertEquals(sample, tok.decode(ids), "round trip of " + f.getFileName());
            }
            String mixed = "  def f(x):\n\treturn x * 12 + 3.5  # 學而時習之 ¿ü? \u0001 end\n\n";
            assertEquals(mixed, tok.decode(tok.encode(mixed).getIds()));
            long[] digits = tok.encode("12345").getIds();
            assertEquals(5, digits.length, "digits are single tokens");
        }
        try (HuggingFaceTokenizer withBos =
                DjlTokenizers.builder().optTokenizerPath(r.tokenizerJson()).build()) {
            long[] ids = withBos.encode("hello").getIds();
            assertEquals(0L, ids[0], "BOS is prepended by the post-processor");
            assertEquals("hello", withBos.decode(ids, true));
        }
    }

    @Test
    void rejectsBadInputWithClearMessages() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        Exception e = assertThrows(
                IllegalArgumentException.class, () -> BpeTrainer.train(List.of(empty), 300, tmp.resolve("o"), false));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("empty.txt"), e.getMessage());
        Path bad = Files.write(tmp.resolve("latin1.txt"), new byte[] {'a', (byte) 0xE9, 'b'});
        e = assertThrows(
                IllegalArgumentException.class, () -> BpeTrainer.train(List.of(bad), 300, tmp.resolve("o"), false));
        assertTrue(e.getMessage().contains("UTF-8") && e.getMessage().contains("latin1.txt"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> BpeTrainer.train(corpus(), 200, tmp.resolve("o"), false));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }

    @Test
    void refusesToOverwriteWithoutForce() throws IOException {
        List<Path> files = corpus();
        BpeTrainer.train(files, 270, tmp.resolve("tok"), false);
        assertThrows(IllegalStateException.class, () -> BpeTrainer.train(files, 270, tmp.resolve("tok"), false));
        assertEquals(270, BpeTrainer.train(files, 270, tmp.resolve("tok"), true).vocabSize());
    }
}
