package io.moescope.model.tokenizer;

/**
 * The GPT-2 byte alphabet of byte-level BPE (as in tokenizers' ByteLevel): bytes 33–126, 161–172 and 174–255 are
 * their own character; the other 68 bytes are U+0100, U+0101, … in byte order, so every byte has a visible character.
 * Turns bytes into a token string (the BPE trainer writing tokenizer.json) and a token string back into bytes.
 */
public final class ByteLevelChars {

    private static final int[] BYTE_OF_CHAR = new int[256 + 68];
    private static final char[] CHAR_OF_BYTE = new char[256];

    static {
        java.util.Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            char c = printable ? (char) b : (char) next++;
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevelChars() {}

    /** The byte-level token string of raw bytes: one character per byte. */
    public static String toChars(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(CHAR_OF_BYTE[b & 0xFF]);
        }
        return sb.toString();
    }

    /** The bytes of a byte-level token string, or null if it holds a character outside the alphabet. */
    static byte[] toBytes(String piece) {
        byte[] out = new byte[piece.length()];
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                return null;
            }
            out[i] = (byte) b;
        }
        return out;
    }
}
