package io.moescope.model.runtime;

import io.moescope.model.api.CapturePoint;
import io.moescope.model.api.Intervention;
import io.moescope.model.api.LayerCapture;
import io.moescope.model.layer.LayerProbe;
import io.moescope.model.layer.LayerRouting;
import io.moescope.model.tokenizer.StreamDecoder;
import io.moescope.model.tokenizer.Tokenizer;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.SequenceFinished;
import io.moescope.model.trace.SequenceStarted;
import io.moescope.model.trace.StopReason;
import io.moescope.model.trace.TraceSink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Prefill + incremental decode with a KV cache, sampling, EOS stop, tracing and interventions. Runs on the
 * caller's thread; cancellation is checked between tokens (thread interrupt or the given flag).
 */
public final class Generator {

    private final MoeModel model;

    public Generator(MoeModel model) {
        this.model = model;
    }

    public GenerationResult generate(GenerationRequest req, TraceSink sink, TokenListener listener) {
        return generate(req, sink, listener, () -> false);
    }

    public GenerationResult generate(
            GenerationRequest req, TraceSink sink, TokenListener listener, BooleanSupplier cancelled) {
        Transformer tf = model.transformer();
        int vocab = model.config().vocabSize();
        int maxPos = model.config().maxPositions();
        int[] prompt = req.promptIds();
        validate(prompt);
        Intervention iv = req.intervention();
        Session session = tf.newSession();
        boolean tracing = sink.enabled();
        TraceEmitter emit = new TraceEmitter(sink, session.id());
        if (tracing) {
            sink.accept(new SequenceStarted(session.id(), model.shape()));
        }
        Tokenizer tok = model.tokenizer();
        StreamDecoder decoder = tok == null ? null : tok.streamDecoder();
        List<LayerRouting> capture = tracing ? new ArrayList<>() : null;
        boolean allLogits = req.allPrefillLogits() || (tracing && sink.wantsLogits());

        long t0 = System.nanoTime();
        float[] logits = tf.forward(session, prompt, allLogits, iv, capture);
        long prefillNanos = System.nanoTime() - t0;
        for (int p = 0; p < prompt.length; p++) {
            String text = textOf(decoder, prompt[p]);
            if (tracing) {
                emit.routing(capture, p, p);
                emit.token(p, prompt[p], text, Phase.PREFILL, req.templateToken(p));
                if (allLogits) {
                    emit.logits(logits, p, vocab, p);
                }
            }
            listener.onToken(p, prompt[p], text, Phase.PREFILL);
        }
        float[] last =
                allLogits ? Arrays.copyOfRange(logits, (prompt.length - 1) * vocab, prompt.length * vocab) : logits;
        if (tracing && !allLogits) {
            emit.logits(last, 0, vocab, prompt.length - 1);
        }

        int[] ids = Arrays.copyOf(prompt, prompt.length + req.maxNewTokens());
        int length = prompt.length;
        StringBuilder generated = new StringBuilder();
        Sampler sampler = new Sampler(req.sampling());
        StopReason reason = req.maxNewTokens() == 0 ? StopReason.PREFILL_ONLY : StopReason.MAX_TOKENS;
        long decodeNanos = 0;
        for (int n = 0; n < req.maxNewTokens(); n++) {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                reason = StopReason.CANCELLED;
                break;
            }
            if (length >= maxPos) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            int next = sampler.sample(last, 0, vocab);
            int pos = length;
            ids[length++] = next;
            String text = textOf(decoder, next);
            generated.append(text);
            boolean eos = req.stopAtEos() && model.config().isEos(next);
            boolean lastOne = n == req.maxNewTokens() - 1 || eos || pos + 1 >= maxPos;
            if (lastOne) {
                if (tracing) {
                    emit.token(pos, next, text, Phase.DECODE);
                }
                listener.onToken(pos, next, text, Phase.DECODE);
                reason = eos
                        ? StopReason.EOS
                        : pos + 1 >= maxPos && n < req.maxNewTokens() - 1 ? StopReason.CONTEXT_FULL : reason;
                break;
            }
            if (capture != null) {
                capture.clear();
            }
            long t1 = System.nanoTime();
            last = tf.forward(session, new int[] {next}, false, iv, capture);
            decodeNanos += System.nanoTime() - t1;
            if (tracing) {
                emit.routing(capture, 0, pos);
                emit.token(pos, next, text, Phase.DECODE);
                emit.logits(last, 0, vocab, pos);
            }
            listener.onToken(pos, next, text, Phase.DECODE);
        }
        if (decoder != null) {
            generated.append(decoder.flush());
        }
        if (tracing) {
            sink.accept(new SequenceFinished(session.id(), length, reason));
        }
        return new GenerationResult(
                Arrays.copyOf(ids, length),
                prompt.length,
                generated.toString(),
                reason,
                prefillNanos,
                decodeNanos,
                last);
    }

    /**
     * Runs {@code ids[0..at.position]} as one prefill with the intervention and returns every number MoE layer
     * {@code at.layer} computed for the token at {@code at.position} (the teaching walkthrough's numbers). The
     * prefill's own trace (sequence start, each position's routing and token, finish) goes to {@code sink}; the
     * capture equals that trace's {@code RoutingDecision} for the same token. A decode step of an earlier run may
     * differ from a prefill in the last float bits (batched products), never in kind.
     */
    public LayerCapture capture(int[] ids, Intervention intervention, CapturePoint at, TraceSink sink) {
        if (at.position() >= ids.length) {
            throw new IllegalArgumentException(
                    "position " + at.position() + " is past the " + ids.length + " tokens given");
        }
        if (!model.config().isMoeLayer(at.layer())) {
            throw new IllegalArgumentException("layer " + at.layer() + " is not an MoE layer of this model");
        }
        int[] prefix = Arrays.copyOf(ids, at.position() + 1);
        validate(prefix);
        Transformer tf = model.transformer();
        Session session = tf.newSession();
        TraceEmitter emit = new TraceEmitter(sink, session.id());
        boolean tracing = sink.enabled();
        List<LayerRouting> routing = tracing ? new ArrayList<>() : null;
        LayerProbe probe = new LayerProbe(at.layer(), at.position());
        if (tracing) {
            sink.accept(new SequenceStarted(session.id(), model.shape()));
        }
        tf.forward(session, prefix, false, intervention, routing, probe);
        if (tracing) {
            StreamDecoder decoder =
                    model.tokenizer() == null ? null : model.tokenizer().streamDecoder();
            for (int p = 0; p < prefix.length; p++) {
                emit.routing(routing, p, p);
                emit.token(p, prefix[p], textOf(decoder, prefix[p]), Phase.PREFILL);
            }
            sink.accept(new SequenceFinished(session.id(), prefix.length, StopReason.PREFILL_ONLY));
        }
        return LayerCaptures.of(probe, at.position());
    }

    private void validate(int[] prompt) {
        int vocab = model.config().vocabSize();
        int maxPos = model.config().maxPositions();
        if (prompt.length > maxPos) {
            throw new IllegalArgumentException(
                    "the prompt has " + prompt.length + " tokens but the model's context is " + maxPos + " positions");
        }
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary 0.." + (vocab - 1));
            }
        }
    }

    private static String textOf(StreamDecoder decoder, int id) {
        return decoder == null ? "" : decoder.push(id);
    }
}
