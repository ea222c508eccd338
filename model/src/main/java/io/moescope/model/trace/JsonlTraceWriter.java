package io.moescope.model.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes trace events as JSON Lines in the moescope-trace format (docs/trace-format.md): a header per sequence,
 * then per position its routing lines, its token line and (optionally) its logits line.
 */
public final class JsonlTraceWriter implements TraceSink, AutoCloseable {

    public static final String FORMAT = "moescope-trace";
    /**
     * Version 3 added the header's {@code always_on} and the {@code dense} lines; version 2 added {@code t_ns} to
     * token lines. Versions 1 and 2 still read.
     */
    public static final int VERSION = 3;

    /** The oldest version this build reads. */
    public static final int OLDEST_VERSION = 1;

    private final JsonGenerator json;
    private final boolean logits;

    /** @param logits whether to ask the engine for (and write) next-token logits */
    public JsonlTraceWriter(OutputStream out, boolean logits) {
        try {
            this.json = new JsonFactory().createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.json.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
        this.logits = logits;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public boolean wantsLogits() {
        return logits;
    }

    @Override
    public void accept(TraceEvent event) {
        try {
            if (event instanceof SequenceStarted s) {
                header(s.shape());
            } else if (event instanceof RoutingDecision r) {
                routing(r);
            } else if (event instanceof DenseLayerOutput d) {
                json.writeStartObject();
                json.writeStringField("type", "dense");
                json.writeNumberField("position", d.position());
                json.writeNumberField("layer", d.layer());
                writeFloat("ffn_norm", d.norm());
                json.writeEndObject();
            } else if (event instanceof ExpertCounts c) {
                json.writeStartObject();
                json.writeStringField("type", "counts");
                json.writeNumberField("layer", c.layer());
                json.writeFieldName("counts");
                long[] v = c.counts();
                json.writeArray(v, 0, v.length);
                json.writeEndObject();
            } else if (event instanceof TokenEmitted t) {
                json.writeStartObject();
                json.writeStringField("type", "token");
                json.writeNumberField("position", t.position());
                json.writeNumberField("id", t.tokenId());
                json.writeStringField("text", t.text());
                json.writeStringField("phase", t.phase().wireName());
                if (t.timed()) {
                    json.writeNumberField("t_ns", t.elapsedNanos());
                }
                if (t.fromTemplate()) {
                    json.writeStringField("source", "template"); // optional: absent = the user's text or generated
                }
                json.writeEndObject();
            } else if (event instanceof LogitsRecorded l) {
                if (!logits) {
                    return;
                }
                json.writeStartObject();
                json.writeStringField("type", "logits");
                json.writeNumberField("position", l.position());
                json.writeFieldName("values");
                writeFloats(l.values());
                json.writeEndObject();
            } else if (event instanceof SequenceFinished f) {
                json.writeStartObject();
                json.writeStringField("type", "end");
                json.writeNumberField("positions", f.positions());
                json.writeStringField("reason", f.reason().wireName());
                json.writeEndObject();
            }
            json.writeRaw('\n');
            if (event instanceof SequenceFinished) {
                json.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    private void header(ModelShape s) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "header");
        json.writeStringField("format", FORMAT);
        json.writeNumberField("version", VERSION);
        json.writeStringField("model_type", s.modelType());
        json.writeNumberField("num_layers", s.layerCount());
        json.writeFieldName("moe_layers");
        json.writeArray(s.moeLayers(), 0, s.moeLayers().length);
        json.writeNumberField("routed_experts", s.routedExperts());
        json.writeNumberField("shared_experts", s.sharedExperts());
        json.writeNumberField("top_k", s.topK());
        json.writeNumberField("vocab_size", s.vocabSize());
        json.writeNumberField("expert_groups", s.expertGroups());
        if (s.linearAttentionLayers().length > 0) { // only hybrid models: other headers stay as they were
            json.writeFieldName("linear_attention_layers"); // kept for readers that predate token_mixers
            json.writeArray(s.linearAttentionLayers(), 0, s.linearAttentionLayers().length);
        }
        if (s.isHybrid()) {
            json.writeArrayFieldStart("token_mixers");
            for (TokenMixer m : s.tokenMixers()) {
                json.writeString(m.label());
            }
            json.writeEndArray();
        }
        json.writeArrayFieldStart("always_on");
        for (AlwaysOnPart part : s.alwaysOn()) {
            json.writeStartObject();
            json.writeStringField("kind", part.kind().wireName());
            if (part.kind() == AlwaysOnPart.Kind.SHARED_EXPERTS) {
                json.writeNumberField("count", part.count());
            }
            json.writeStringField("name", part.name());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private void routing(RoutingDecision r) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "routing");
        json.writeNumberField("position", r.position());
        json.writeNumberField("layer", r.layer());
        json.writeFieldName("router_logits");
        writeFloats(r.routerLogits());
        json.writeFieldName("scores");
        writeFloats(r.scores());
        if (r.selectionScores() != null) {
            json.writeFieldName("selection_scores");
            writeFloats(r.selectionScores());
        }
        if (r.keptGroups() != null) {
            json.writeFieldName("kept_groups");
            json.writeArray(r.keptGroups(), 0, r.keptGroups().length);
        }
        json.writeFieldName("experts");
        json.writeArray(r.experts(), 0, r.experts().length);
        json.writeFieldName("weights");
        writeFloats(r.weights());
        writeFloat("routed_norm", r.routedNorm());
        writeFloat("shared_norm", r.sharedNorm());
        if (r.hasSharedGate()) {
            json.writeNumberField("shared_gate", r.sharedGate());
        } else {
            json.writeNullField("shared_gate");
        }
        json.writeEndObject();
    }

    private void writeFloat(String field, float v) throws IOException {
        if (Float.isFinite(v)) {
            json.writeNumberField(field, v);
        } else {
            json.writeNullField(field);
        }
    }

    private void writeFloats(float[] v) throws IOException {
        json.writeStartArray();
        for (float f : v) {
            if (Float.isFinite(f)) {
                json.writeNumber(f);
            } else {
                json.writeNull();
            }
        }
        json.writeEndArray();
    }

    /** Pushes every line written so far to the stream, and flushes the stream (a crash then cannot lose them). */
    public void flush() {
        try {
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            json.flush();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
