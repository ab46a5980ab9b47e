package dev.cmr.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.model.ByteTokenizer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Streamed pieces add up to what the tokenizer decodes from the whole output. */
class TokenTextTest {
    @Test
    void aCharacterSplitOverTokensComesOutWithItsLastByte() {
        TokenText text = new TokenText();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);

        assertThat(text.append(euro[0] & 0xFF)).isEmpty();
        assertThat(text.append(euro[1] & 0xFF)).isEmpty();
        assertThat(text.append(euro[2] & 0xFF)).isEqualTo("€");
        assertThat(text.append(ByteTokenizer.END_OF_TEXT)).isEmpty();
    }

    @Test
    void piecesOfAnyByteStreamAddUpToTheWholeDecode() {
        int[] tokens = {'a', 0xC3, 0xA9, 0xFF, 'b', 0xE2, 0x82, 'c', 0xF0, 0x9F, 0x98, 0x80, 0xC3};
        TokenText text = new TokenText();
        StringBuilder pieces = new StringBuilder();
        for (int t : tokens) {
            pieces.append(text.append(t));
        }
        pieces.append(text.finish());

        assertThat(pieces.toString()).isEqualTo(new ByteTokenizer().decode(tokens));
    }
}
