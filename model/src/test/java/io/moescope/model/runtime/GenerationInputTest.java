package io.moescope.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moescope.model.BrokenInputs;
import io.moescope.model.Fixtures;
import io.moescope.model.trace.TraceRecorder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Prompts the model cannot run are refused with an IllegalArgumentException before anything is traced. */
class GenerationInputTest {

    private static MoeModel model;

    @BeforeAll
    static void open() throws Exception {
        model = MoeModel.open(Fixtures.dir("olmoe_f32"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void emptyPrompt() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GenerationRequest.of(new int[0], 4, SamplingParams.GREEDY));
        BrokenInputs.assertMessage(e.getMessage(), "prompt is empty");
    }

    @Test
    void promptLongerThanTheContext() {
        int[] ids = new int[model.config().maxPositions() + 1];
        Arrays.fill(ids, 5);
        IllegalArgumentException e = refused(ids);
        BrokenInputs.assertMessage(e.getMessage(), "257 tokens", "context is 256 positions");
    }

    @Test
    void tokenIdBeyondTheVocabulary() {
        IllegalArgumentException e = refused(new int[] {5, 128, 7});
        BrokenInputs.assertMessage(e.getMessage(), "token id 128", "vocabulary 0..127");
    }

    @Test
    void negativeTokenId() {
        IllegalArgumentException e = refused(new int[] {-1});
        BrokenInputs.assertMessage(e.getMessage(), "token id -1", "vocabulary 0..127");
    }

    @Test
    void negativeMaxTokens() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> GenerationRequest.of(new int[] {1}, -1, SamplingParams.GREEDY));
        BrokenInputs.assertMessage(e.getMessage(), "max tokens", "-1");
    }

    @Test
    void aPromptFillingTheContextStillGivesItsTrace() {
        int[] ids = new int[model.config().maxPositions()];
        Arrays.fill(ids, 9);
        TraceRecorder rec = new TraceRecorder(false);
        GenerationResult r = new Generator(model)
                .generate(GenerationRequest.of(ids, 0, SamplingParams.GREEDY), rec, TokenListener.NONE);
        assertEquals(ids.length, r.ids().length);
        assertEquals(io.moescope.model.trace.StopReason.PREFILL_ONLY, r.stopReason());
    }

    /** Runs the prompt with a recording sink: it must be refused, and nothing may have been traced. */
    private static IllegalArgumentException refused(int[] ids) {
        TraceRecorder rec = new TraceRecorder(true);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Generator(model)
                        .generate(GenerationRequest.of(ids, 2, SamplingParams.GREEDY), rec, TokenListener.NONE));
        assertEquals(List.of(), rec.events(), "a refused prompt must not start a trace");
        return e;
    }
}
