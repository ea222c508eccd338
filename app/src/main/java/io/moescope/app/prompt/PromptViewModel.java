package io.moescope.app.prompt;

import io.moescope.app.session.Problems;
import io.moescope.app.session.Run;
import io.moescope.app.session.EngineViewModel;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.api.Intervention;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The prompt and the sampling settings, and the Generate command. Prompt text goes through the model's
 * tokenizer; a model without tokenizer.json takes token ids ("1, 5, 9" or "1 5 9").
 */
public final class PromptViewModel {

    private final EngineViewModel session;
    private final Problems problems;
    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", "The experts in a mixture");
    private final IntegerProperty maxTokens = new SimpleIntegerProperty(this, "maxTokens", 48);
    private final DoubleProperty temperature = new SimpleDoubleProperty(this, "temperature", 0.8);
    private final DoubleProperty topP = new SimpleDoubleProperty(this, "topP", 0.95);
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 42);
    private final BooleanProperty greedy = new SimpleBooleanProperty(this, "greedy", true);

    public PromptViewModel(EngineViewModel session, Problems problems) {
        this.session = session;
        this.problems = problems;
    }

    /** Generates from the prompt; the result becomes the primary run. */
    public CompletableFuture<Run> generate() {
        return generate(prompt.get(), Intervention.NONE, false, null);
    }

    /** Generates from any text with these settings (used for comparisons too). Reports bad input. */
    public CompletableFuture<Run> generate(String text, Intervention intervention, boolean asComparison,
                                           String label) {
        MoeModel model = session.getModel();
        if (model == null) {
            problems.report("Nothing to run", "Open a model first (File → Open model directory…).");
            return CompletableFuture.failedFuture(new IllegalStateException("no model"));
        }
        GenerationRequest request;
        try {
            request = GenerationRequest.of(PromptIds.parse(text, model), maxTokens.get(), sampling())
                    .withIntervention(intervention);
        } catch (IllegalArgumentException | ModelLoadException e) {
            problems.report("Cannot run this prompt", null, e);
            return CompletableFuture.failedFuture(e);
        }
        return session.generate(request, asComparison, label, text);
    }

    /** The sampling settings as the engine takes them (validated there). */
    public SamplingParams sampling() {
        double t = greedy.get() ? 0 : temperature.get();
        return new SamplingParams(t, 0, topP.get(), seed.get());
    }

    public void stop() {
        session.stop();
    }

    public StringProperty promptProperty() { return prompt; }
    public IntegerProperty maxTokensProperty() { return maxTokens; }
    public DoubleProperty temperatureProperty() { return temperature; }
    public DoubleProperty topPProperty() { return topP; }
    public LongProperty seedProperty() { return seed; }
    public BooleanProperty greedyProperty() { return greedy; }
    public EngineViewModel session() { return session; }
}
