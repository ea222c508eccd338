package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Single tokens as bytes and for display: pieces of multi-byte characters show as bytes, never as U+FFFD. */
class TokenBytesTest {

    private static byte[] concat(Tokenizer tok, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            byte[] b = tok.tokenBytes(id);
            assertNotNull(b, "bytes of token " + id);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Test
    void byteLevelTokensConcatenateToTheUtf8OfTheText() throws Exception {
        for (Tokenizer tok : new Tokenizer[] {
            TokenizerGoldens.tokenizer("qwen3"),
            HfTokenizer.load(Path.of("../resources/models/tiny-deepseekmoe/tokenizer.json"))
        }) {
            String text = "床前明月光，疑是地上霜。 def f(x):\n\treturn x ** 2  # ünïcödé";
            int[] ids = tok.encode(text, false);
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), concat(tok, ids));
        }
    }

    @Test
    void displayShowsPiecesOfCharactersAsBytes() throws Exception {
        Tokenizer tok = HfTokenizer.load(Path.of("../resources/models/tiny-deepseekmoe/tokenizer.json"));
        int pieces = 0;
        for (int id : tok.encode("鬱鬯龘", false)) { // rare characters: split into byte pieces by a 2048-id BPE
            String shown = tok.display(id);
            assertTrue(shown.indexOf('\uFFFD') < 0, shown);
            if (shown.startsWith("\\x")) {
                pieces++;
                StringBuilder want = new StringBuilder();
                for (byte b : tok.tokenBytes(id)) {
                    want.append(String.format("\\x%02x", b & 0xff));
                }
                assertEquals(want.toString(), shown);
            }
        }
        assertTrue(pieces > 0, "expected some tokens that are pieces of a character");
        StringBuilder word = new StringBuilder();
        for (int id : tok.encode("return x", false)) {
            word.append(tok.display(id));
        }
        assertEquals("return x", word.toString(), "tokens of whole characters show as text");
    }

    @Test
    void sentencePieceByteFallbackTokensAreBytes() {
        Tokenizer tok = TokenizerGoldens.tokenizer("llama2");
        int id = tok.tokenId("<0xE5>");
        assertTrue(id >= 0);
        assertArrayEquals(new byte[] {(byte) 0xE5}, tok.tokenBytes(id));
        assertEquals("\\xe5", tok.display(id));
    }
}
