package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A prompt longer than a model's context: one line naming the limit, or its tail with --keep-tail. */
class CliContextTest {

    /** The embedded model: 1 024 positions. */
    private static final String FINE = CliChatTest.EMBEDDED.toString();

    /** 1 100 digits (one token each: the tokenizer splits digits) + bos: longer than the 1 024 positions. */
    private static final String LONG = "7".repeat(1099) + "3";

    @Test
    void tooLongPromptNamesTheLimitAndTheFlag() {
        CliRun r = CliRun.of("trace", "--model", FINE, "--prompt", LONG);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(
                r.err()
                        .contains("the prompt has 1101 tokens but the model's context is 1024 positions; run again "
                                + "with --keep-tail to keep its last 1024 tokens"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void keepTailRunsTheLastPart() {
        CliRun r = CliRun.of("trace", "--model", FINE, "--prompt", LONG, "--keep-tail");
        assertEquals(0, r.exitCode(), r.err());
        java.util.List<String> tokens =
                r.out().lines().filter(l -> l.contains("\"type\":\"token\"")).toList();
        assertEquals(1024, tokens.size(), "the context's worth of prompt tokens");
        assertTrue(tokens.get(0).contains("\"position\":0"), tokens.get(0));
        assertTrue(tokens.get(1023).contains("\"position\":1023"), tokens.get(1023));
        assertTrue(tokens.get(1023).contains("\"text\":\"3\""), "the prompt's end is kept: " + tokens.get(1023));
        assertFalse(r.out().contains("\"position\":1024"), "nothing beyond the context");
    }
}
