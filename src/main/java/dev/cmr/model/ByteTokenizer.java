package dev.cmr.model;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer for the demo: token ids 0..255 are the UTF-8 bytes of the text, followed by the special
 * tokens {@link #END_OF_TEXT} and {@link #PAD}. Lossless for any text.
 */
public final class ByteTokenizer {
    public static final int END_OF_TEXT = 256;
    public static final int PAD = 257;
    public static final int VOCAB_SIZE = 258;

    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }

    /** Decodes byte tokens; special tokens are skipped. */
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token id must be in [0, " + VOCAB_SIZE + "), was " + id);
            }
            if (id < 256) {
                out.write(id);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
