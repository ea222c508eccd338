package io.moescope.model.runtime;

import io.moescope.model.trace.Phase;

/** Receives each token as it is decided, on the inference thread. */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = (position, id, text, phase) -> {};

    /** @param text the newly completed text of this token (may be empty while a character is incomplete) */
    void onToken(int position, int id, String text, Phase phase);
}
