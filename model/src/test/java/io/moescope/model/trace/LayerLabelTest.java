package io.moescope.model.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Layer pickers name each layer's token mixer in hybrid models, and only there. */
class LayerLabelTest {

    @Test
    void hybridLayersSayWhichTokenMixerTheyHave() {
        ModelShape lfm2 = new ModelShape("lfm2_moe", 3, new int[] {1, 2}, 4, 0, 2, 10, 1, new TokenMixer[] {
            TokenMixer.SHORT_CONV, TokenMixer.ATTENTION, TokenMixer.SHORT_CONV
        });
        assertEquals("Layer 1 · attention", lfm2.layerLabel(1));
        assertEquals("Layer 2 · short conv", lfm2.layerLabel(2));
        ModelShape next = new ModelShape("qwen3_next", 2, new int[] {0, 1}, 4, 1, 2, 10, 1, new int[] {0});
        assertEquals("Layer 0 · linear attention", next.layerLabel(0));
        assertEquals("Layer 1 · attention", next.layerLabel(1));
        assertEquals(" conv", lfm2.mixerTag(2, true), "column labels: L2 conv");
        assertEquals(" lin", next.mixerTag(0, true));
        assertEquals(" · short conv", lfm2.mixerTag(0, false), "row labels: layer 0 · short conv");
    }

    @Test
    void plainModelsKeepTheShortLabel() {
        ModelShape olmoe = new ModelShape("olmoe", 2, new int[] {0, 1}, 4, 0, 2, 10);
        assertEquals("Layer 1", olmoe.layerLabel(1));
        assertEquals("", olmoe.mixerTag(1, true));
        assertEquals("", olmoe.mixerTag(1, false));
    }
}
