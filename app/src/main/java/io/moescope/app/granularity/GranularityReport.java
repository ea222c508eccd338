package io.moescope.app.granularity;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.MoeModel;
import java.nio.file.Path;

/**
 * Both sides of the fine-grained vs coarse comparison on one prompt.
 *
 * @param prompt the prompt both models ran
 * @param fine   the fine-grained model (many narrow experts, shared experts)
 * @param coarse the coarse model (few wide experts, same total and active expert parameters)
 */
public record GranularityReport(String prompt, Side fine, Side coarse) {

    /**
     * One model: its directory name, held-out figures and the routing of the prompt.
     *
     * @param name    the model directory's name
     * @param figures validation.json of the directory
     * @param routing the prompt's routing
     */
    public record Side(String name, ValidationFigures figures, PromptRouting routing) {

        /** Reads the figures and runs the prompt on an open model. */
        public static Side of(Path dir, MoeModel model, String prompt) throws ModelLoadException {
            return new Side(dir.getFileName().toString(), ValidationFigures.read(dir), PromptRouting.of(model, prompt));
        }

        /** Expert parameters per MoE layer in units of one fine-grained expert's width (total, active). */
        public String layoutText() {
            return routing.layoutText();
        }
    }
}
