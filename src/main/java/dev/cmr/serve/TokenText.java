package dev.cmr.serve;

import dev.cmr.model.ByteTokenizer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns a stream of byte tokens into text piece by piece: a character split over several tokens comes out whole,
 * with the token that completes it; invalid UTF-8 becomes U+FFFD, as {@link ByteTokenizer#decode} does for the whole
 * text; special tokens give no text. Not thread-safe: one per stream.
 */
final class TokenText {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer in = ByteBuffer.allocate(8);
    private final CharBuffer out = CharBuffer.allocate(16);

    /** The text that {@code tokenId} completes; empty while a character is incomplete. */
    String append(int tokenId) {
        if (tokenId < 0 || tokenId > 255) {
            return "";
        }
        in.put((byte) tokenId);
        in.flip();
        out.clear();
        decoder.decode(in, out, false);
        in.compact();
        out.flip();
        return out.toString();
    }

    /** What an incomplete character at the end decodes to (U+FFFD), or empty. */
    String finish() {
        in.flip();
        out.clear();
        decoder.decode(in, out, true);
        decoder.flush(out);
        in.clear();
        decoder.reset();
        out.flip();
        return out.toString();
    }
}
