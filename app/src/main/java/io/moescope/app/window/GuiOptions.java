package io.moescope.app.window;

import java.nio.file.Path;

/**
 * How the window starts. All fields optional.
 *
 * @param snapshot  write a PNG of the window after generating, then exit
 * @param model     model directory to open (default: the last one, else the embedded model)
 * @param trace     trace to replay instead of a model
 * @param prompt    prompt text (or token ids for a model without tokenizer.json)
 * @param maxTokens tokens to generate in snapshot mode
 * @param view      tab to show: gate, load, shared, compare, diagnosis; or a side panel to write alone:
 *                  inspector, transcript, dashboard; or window (the whole window, tab as it is)
 * @param theme     "dark" or "light", null for the remembered one
 * @param layer     decoder layer for the per-layer views, -1 for all stacked, null for the first MoE layer
 * @param inspect   position to inspect, null for the first generated token
 * @param ablate    "LAYER:E" ablation to re-run with for the compare view, null to pick the busiest expert
 * @param benchTokens {@code --bench-pulse}: synthetic tokens to stream, 0 = no benchmark
 * @param benchRate   tokens per second of the pulse benchmark
 * @param benchWarmup tokens the pulse benchmark streams (into a run of their own) before the measured stream
 * @param comparePrompt for the compare view: run this second prompt as B instead of an ablation, null for none
 * @param walkStep  for the walkthrough (view walk): the step to show (a WalkStep.Kind name), null for the first
 * @param lesson    play this lesson file instead of --model/--prompt, null for none
 * @param lessonStep the lesson's step to show, from 1
 * @param present   write the view in presentation mode
 * @param benchGenerate {@code --bench-generate}: tokens to generate with the live views open, 0 = no benchmark
 * @param benchPromptTokens prompt length of the generate benchmark (the seeded ids {@code bench} uses)
 */
public record GuiOptions(
        Path snapshot,
        Path model,
        Path trace,
        String prompt,
        int maxTokens,
        String view,
        String theme,
        Integer layer,
        Integer inspect,
        String ablate,
        int width,
        int height,
        int benchTokens,
        double benchRate,
        int benchWarmup,
        String comparePrompt,
        String walkStep,
        Path lesson,
        int lessonStep,
        boolean present,
        int benchGenerate,
        int benchPromptTokens) {

    public static final GuiOptions DEFAULT = new GuiOptions(
            null, null, null, null, 24, "gate", null, null, null, null, 1600, 1000, 0, 200, 0, null, null, null, 1,
            false, 0, 32);

    public boolean snapshotMode() {
        return snapshot != null;
    }

    /** {@code --bench-pulse}: no model, no dialogs, exits after printing the figures. */
    public boolean benchMode() {
        return benchTokens > 0;
    }

    /** {@code --bench-generate}: opens the model, generates, prints the figures, exits. */
    public boolean generateBenchMode() {
        return benchGenerate > 0;
    }
}
