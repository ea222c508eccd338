package io.moescope.app.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PromptTooLongExceptionTest {

    @Test
    void tailKeepsBosAndTheLatestTokens() {
        int[] ids = {0, 11, 12, 13, 14, 15};
        assertArrayEquals(new int[] {0, 14, 15}, PromptTooLongException.tail(ids, 3, 0));
        assertArrayEquals(new int[] {13, 14, 15}, PromptTooLongException.tail(ids, 3, -1), "no bos: just the end");
        assertArrayEquals(
                new int[] {13, 14, 15},
                PromptTooLongException.tail(new int[] {9, 11, 12, 13, 14, 15}, 3, 0),
                "a prompt that does not start with bos keeps its end only");
        assertArrayEquals(ids, PromptTooLongException.tail(ids, 6, 0), "a prompt that fits is unchanged");
        PromptTooLongException e = new PromptTooLongException(ids, 4, 0, "keep its last 4 tokens");
        assertEquals(
                "the prompt has 6 tokens but the model's context is 4 positions; keep its last 4 tokens",
                e.getMessage());
        assertArrayEquals(new int[] {0, 13, 14, 15}, e.tail());
        assertEquals(6, e.tokens());
        assertEquals(4, e.limit());
    }
}
