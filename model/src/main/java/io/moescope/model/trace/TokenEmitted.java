package io.moescope.model.trace;

/**
 * A token at a position of the sequence: for a prefill position the prompt token, for a decode position
 * the sampled token. Its routing events (if the token was fed through the model) precede it.
 *
 * @param text the token's own text as decoded in context (may be empty for a partial UTF-8 sequence)
 */
public record TokenEmitted(long sequenceId, int position, int tokenId, String text, Phase phase)
        implements TraceEvent {
}
