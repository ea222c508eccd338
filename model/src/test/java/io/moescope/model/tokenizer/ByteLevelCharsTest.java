package io.moescope.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The GPT-2 byte alphabet in both directions (tokenizer.json writing and token decoding use the same table). */
class ByteLevelCharsTest {

    @Test
    void everyByteHasOneVisibleCharacterAndComesBack() {
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        String chars = ByteLevelChars.toChars(all);
        assertEquals(256, chars.length());
        assertEquals('A', chars.charAt('A'), "printable ASCII is itself");
        assertEquals('\u0120', chars.charAt(' '), "space is Ġ, the 33rd remapped byte");
        assertEquals('\u0100', chars.charAt(0), "byte 0 is the first remapped character");
        assertEquals('\u0143', chars.charAt(0xAD), "soft hyphen is the last (68th) remapped byte");
        assertEquals('é', chars.charAt(0xE9), "printable Latin-1 is itself");
        assertArrayEquals(all, ByteLevelChars.toBytes(chars));
        assertNull(ByteLevelChars.toBytes("\u0144"), "outside the alphabet");
    }
}
