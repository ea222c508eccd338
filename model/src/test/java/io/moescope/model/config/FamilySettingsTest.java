package io.moescope.model.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The builder's defaults are the plain family's (what a family does not set, it does not have). */
class FamilySettingsTest {

    @Test
    void unsetSettingsAreAbsent() {
        FamilySettings s = FamilySettings.forLayers(3)
                .routed(8, 16)
                .moeLayers(new int[] {1, 2})
                .build();
        assertEquals(8, s.routedExperts());
        assertEquals(16, s.expertWidth());
        assertEquals(0, s.sharedExperts());
        assertEquals(0, s.sharedWidth());
        assertFalse(s.normTopkProb() || s.qkvBias() || s.outputBias());
        assertArrayEquals(new int[] {1, 2}, s.moeLayers());
        assertEquals(ModelConfig.QkNorm.NONE, s.qkNorm());
        assertTrue(Double.isNaN(s.clipQkv()));
        assertArrayEquals(new int[3], s.layerWindows(), "every layer full attention");
        assertNull(s.mla());
        assertNull(s.hybrid());
        assertSame(FamilyExtras.NONE, s.extras());
    }

    @Test
    void eachSetterSetsItsOwnField() {
        FamilySettings s = FamilySettings.forLayers(2)
                .routed(4, 8)
                .shared(2, 16)
                .normTopkProb(true)
                .moeLayers(new int[] {0, 1})
                .outputBias(true)
                .qkNorm(ModelConfig.QkNorm.PER_HEAD)
                .clipQkv(8)
                .layerWindows(new int[] {128, 0})
                .build();
        assertEquals(2, s.sharedExperts());
        assertEquals(16, s.sharedWidth());
        assertTrue(s.normTopkProb() && s.outputBias());
        assertFalse(s.qkvBias());
        assertEquals(ModelConfig.QkNorm.PER_HEAD, s.qkNorm());
        assertEquals(8.0, s.clipQkv());
        assertArrayEquals(new int[] {128, 0}, s.layerWindows());
    }

    @Test
    void routedExpertsAndMoeLayersMustBeSet() {
        assertThrows(
                IllegalStateException.class,
                () -> FamilySettings.forLayers(2).moeLayers(new int[] {0}).build());
        assertThrows(
                IllegalStateException.class,
                () -> FamilySettings.forLayers(2).routed(4, 8).build());
    }
}
