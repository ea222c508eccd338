package io.moescope.model.train;

/**
 * The byte-to-character table used by byte-level BPE (the GPT-2 convention that the Hugging Face
 * {@code ByteLevel} pre-tokenizer and decoder implement): printable Latin-1 bytes map to themselves,
 * the remaining 68 bytes map to U+0100 upward in byte order, so every byte has a visible character.
 */
public final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];

    static {
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
            BYTE_TO_CHAR[b] = printable ? (char) b : (char) next++;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The visible character standing for byte {@code b} (0..255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** Maps raw bytes to their byte-level string form. */
    public static String encode(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_TO_CHAR[b & 0xFF]);
        }
        return sb.toString();
    }
}
