package io.moescope.app.prompt;

import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Problems;
import io.moescope.app.session.Run;
import io.moescope.model.api.Intervention;
import io.moescope.model.chat.ChatTokens;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The prompt and the sampling settings, and the Generate command. Prompt text goes through the model's
 * tokenizer; a model without tokenizer.json takes token ids ("1, 5, 9" or "1 5 9"). In Chat mode (offered only for a
 * model with a chat template) the text is the user's message, rendered through the template first; the run's
 * trace marks the template's tokens.
 *
 * <p>Chat is the default only for a model whose name says it was tuned for chat (Instruct, Chat, -it, SFT, …): base
 * checkpoints often ship their family's template too (Qwen3-30B-A3B-Base, OLMoE-1B-7B), and a base model wrapped in
 * role headers it never learned is a worse demo than plain text.
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
    private final ReadOnlyBooleanWrapper chatAvailable = new ReadOnlyBooleanWrapper(this, "chatAvailable", false);
    private final BooleanProperty chat = new SimpleBooleanProperty(this, "chat", false);
    private final ObjectProperty<Predicate<PromptTooLongException>> keepTail =
            new SimpleObjectProperty<>(this, "keepTail");

    private static final java.util.regex.Pattern TUNED =
            java.util.regex.Pattern.compile("(?i)(instruct|chat|[-_.]it([-_.]|$)|sft|dpo|rlhf)");

    public PromptViewModel(EngineViewModel session, Problems problems) {
        this.session = session;
        this.problems = problems;
        session.modelProperty().addListener((obs, o, m) -> modelChanged(m));
        modelChanged(session.getModel());
        chat.addListener((obs, o, on) -> {
            if (on && !chatAvailable.get()) {
                chat.set(false); // a model without a template has only Text
            }
        });
    }

    private void modelChanged(MoeModel m) {
        boolean available = m != null && m.chatTemplate() != null && m.tokenizer() != null;
        chatAvailable.set(available);
        chat.set(available
                && TUNED.matcher(String.valueOf(m.directory().getFileName())).find());
    }

    /** Generates from the prompt; the result becomes the primary run. */
    public CompletableFuture<Run> generate() {
        return generate(prompt.get(), Intervention.NONE, false, null);
    }

    /** Generates from any text with these settings (used for comparisons too). Reports bad input. */
    public CompletableFuture<Run> generate(String text, Intervention intervention, boolean asComparison, String label) {
        MoeModel model = session.getModel();
        if (model == null) {
            problems.report("Nothing to run", "Open a model first (File → Open model directory…).");
            return CompletableFuture.failedFuture(new IllegalStateException("no model"));
        }
        GenerationRequest request;
        try {
            if (chat.get()) {
                ChatTokens t = PromptIds.chat(text, model);
                request = GenerationRequest.of(t.ids(), maxTokens.get(), sampling())
                        .withIntervention(intervention)
                        .withTemplateTokens(t.fromTemplate());
            } else {
                request = GenerationRequest.of(idsOrTail(text, model), maxTokens.get(), sampling())
                        .withIntervention(intervention);
            }
        } catch (KeptWhole e) {
            return CompletableFuture.failedFuture(e.tooLong);
        } catch (IllegalArgumentException | ModelLoadException e) {
            problems.report("Cannot run this prompt", null, e);
            return CompletableFuture.failedFuture(e);
        }
        return session.generate(request, asComparison, label, text);
    }

    /**
     * The prompt's ids; one longer than the context is offered to {@link #keepTailProperty()} (the window asks the
     * user), and cut to its last part if that says yes.
     */
    private int[] idsOrTail(String text, MoeModel model) throws ModelLoadException {
        try {
            return PromptIds.parse(text, model);
        } catch (PromptTooLongException e) {
            Predicate<PromptTooLongException> ask = keepTail.get();
            if (ask == null) {
                throw e;
            }
            if (ask.test(e)) {
                return e.tail();
            }
            throw new KeptWhole(e);
        }
    }

    /** The user declined to cut a too-long prompt: nothing to report. */
    private static final class KeptWhole extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        final PromptTooLongException tooLong;

        KeptWhole(PromptTooLongException tooLong) {
            super(tooLong.getMessage());
            this.tooLong = tooLong;
        }
    }

    /**
     * Asked (on the UI thread) whether to run the last part of a prompt longer than the context; when it says no the
     * run is dropped quietly (the user chose). With none set (tests, headless) the problem is reported in one line.
     */
    public ObjectProperty<Predicate<PromptTooLongException>> keepTailProperty() {
        return keepTail;
    }

    /** The sampling settings as the engine takes them (validated there). */
    public SamplingParams sampling() {
        double t = greedy.get() ? 0 : temperature.get();
        return new SamplingParams(t, 0, topP.get(), seed.get());
    }

    public void stop() {
        session.stop();
    }

    public StringProperty promptProperty() {
        return prompt;
    }

    public IntegerProperty maxTokensProperty() {
        return maxTokens;
    }

    public DoubleProperty temperatureProperty() {
        return temperature;
    }

    public DoubleProperty topPProperty() {
        return topP;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty greedyProperty() {
        return greedy;
    }
    /** Chat mode: the prompt is a user message sent through the model's chat template. */
    public BooleanProperty chatProperty() {
        return chat;
    }
    /** Whether the model has a chat template (and a tokenizer), so Chat mode can be chosen. */
    public ReadOnlyBooleanProperty chatAvailableProperty() {
        return chatAvailable.getReadOnlyProperty();
    }

    public EngineViewModel session() {
        return session;
    }
}
