package io.moescope.model.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.TokenizerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jinjava.javax.el.CompositeELResolver;

/**
 * A model's chat template (Jinja2, as in tokenizer_config.json, chat_template.jinja or GGUF's
 * {@code tokenizer.chat_template}) rendered with Jinjava the way transformers' {@code apply_chat_template} renders
 * it: trim_blocks + lstrip_blocks, {@code bos_token}/{@code eos_token}, {@code tools} = none, raise_exception,
 * strftime_now, a Python-style tojson, Python str methods and {@code [::-1]}. Besides the text, a render tells which
 * characters are message text (see {@link RenderedChat}).
 */
public final class ChatTemplate {

    private static final char OPEN = '\uFDD0'; // noncharacters: never in real text, mark message text
    private static final char CLOSE = '\uFDD1';
    private static final Pattern REVERSED = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\[::-1\\]");
    private static final Pattern GENERATION_TAG = Pattern.compile("\\{%-?\\s*(end)?generation\\s*-?%\\}");

    private final String source;
    private final Path origin;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;
    private Clock clock = Clock.systemDefaultZone();

    private ChatTemplate(String source, Path origin, String bosToken, String eosToken) {
        this.source = prepare(Objects.requireNonNull(source, "source"));
        this.origin = Objects.requireNonNull(origin, "origin");
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.jinjava = jinjava(true);
    }

    /**
     * Jinjava set up as transformers sets up Jinja2: trim_blocks + lstrip_blocks (off only to find an error's line:
     * Jinjava does not count the newlines trim_blocks removes), Python methods, the Hugging Face globals.
     */
    private static Jinjava jinjava(boolean trimBlocks) {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PyMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        LegacyOverrides jinja2 = LegacyOverrides.newBuilder() // behave like Python's Jinja2, not Jinjava 2.0
                .withUseTrimmingForNotesAndExpressions(true)
                .withParseWhitespaceControlStrictly(true)
                .withEvaluateMapKeys(true)
                .withKeepNullableLoopValues(true)
                .withUsePyishObjectMapper(true)
                .build();
        Jinjava j = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(trimBlocks)
                .withLstripBlocks(trimBlocks)
                .withLegacyOverrides(jinja2)
                .withElResolver(resolver)
                .build());
        HfGlobals.register(j);
        return j;
    }

    /** A template from its source; {@code origin} names it in errors. */
    public static ChatTemplate of(String source, Path origin, String bosToken, String eosToken) {
        return new ChatTemplate(source, origin, bosToken, eosToken);
    }

    /** {@code tokenizer.chat_template} of a GGUF file, with BOS/EOS texts from its token list. */
    public static ChatTemplate fromGguf(Path file, Map<String, Object> metadata) throws ModelLoadException {
        Object source = metadata.get("tokenizer.chat_template");
        if (!(source instanceof String)) {
            throw ModelLoadException.at(
                    file, "tokenizer.chat_template: " + (source == null ? "missing" : "not a string"));
        }
        Object tokens = metadata.get("tokenizer.ggml.tokens");
        List<?> list = tokens instanceof List ? (List<?>) tokens : List.of();
        return new ChatTemplate(
                (String) source,
                file,
                token(list, metadata.get("tokenizer.ggml.bos_token_id")),
                token(list, metadata.get("tokenizer.ggml.eos_token_id")));
    }

    private static String token(List<?> tokens, Object id) {
        if (id instanceof Long
                && (Long) id >= 0
                && (Long) id < tokens.size()
                && tokens.get(((Long) id).intValue()) instanceof String) {
            return (String) tokens.get(((Long) id).intValue());
        }
        return "";
    }

    /**
     * The chat template of a Hugging Face model directory: chat_template.jinja if present (transformers prefers it),
     * else {@code chat_template} of tokenizer_config.json (a string, or named templates: "default", else the first);
     * BOS/EOS texts from tokenizer_config.json.
     */
    public static ChatTemplate fromModelDir(Path dir) throws ModelLoadException {
        return fromModelDir(dir, TokenizerConfig.of(dir));
    }

    private static ChatTemplate fromModelDir(Path dir, TokenizerConfig config) throws ModelLoadException {
        Path cfgFile = dir.resolve("tokenizer_config.json");
        String bos = config.bosToken();
        String eos = config.eosToken();
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                return new ChatTemplate(Files.readString(jinja, StandardCharsets.UTF_8), jinja, bos, eos);
            } catch (IOException e) {
                throw ModelLoadException.at(jinja, "cannot read: " + e.getMessage());
            }
        }
        JsonNode t = config.chatTemplate();
        if (t != null && t.isArray()) {
            JsonNode chosen = null;
            for (JsonNode named : t) {
                if (chosen == null || "default".equals(named.path("name").asText())) {
                    chosen = named;
                }
            }
            t = chosen == null ? null : chosen.get("template");
        }
        if (t == null || !t.isTextual()) {
            throw ModelLoadException.at(
                    config.present() ? cfgFile : jinja,
                    "no chat template (neither chat_template.jinja" + " nor a chat_template in tokenizer_config.json)");
        }
        return new ChatTemplate(t.asText(), cfgFile, bos, eos);
    }

    /**
     * The chat template of a model directory as {@link #fromModelDir}, or null when it has none (no
     * chat_template.jinja and no {@code chat_template} key in tokenizer_config.json): a base model. A template that is
     * there but unusable (not text, an empty list of named templates, unreadable) is an error naming its file.
     */
    public static ChatTemplate findInModelDir(Path dir) throws ModelLoadException {
        if (Files.isRegularFile(dir.resolve("chat_template.jinja"))) {
            return fromModelDir(dir);
        }
        TokenizerConfig config = TokenizerConfig.of(dir);
        Path cfgFile = config.file();
        JsonNode t = config.chatTemplate();
        if (t == null || t.isNull()) {
            return null;
        }
        if (!t.isTextual() && !(t.isArray() && t.size() > 0 && allNamed(t))) {
            throw ModelLoadException.at(
                    cfgFile,
                    "chat_template must be a string or a list of {\"name\", \"template\"}"
                            + " objects, got "
                            + (t.isArray()
                                    ? "a list with other items"
                                    : t.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return fromModelDir(dir, config);
    }

    private static boolean allNamed(JsonNode list) {
        for (JsonNode named : list) {
            if (!named.isObject() || !named.path("template").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Uses this clock for strftime_now (tests fix the date). */
    public ChatTemplate withClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /**
     * Renders a conversation.
     *
     * @param addGenerationPrompt end with the assistant's turn header, as for generating a reply
     * @throws ModelLoadException one line naming the template's file and Jinja's message when it fails to render
     */
    public RenderedChat render(List<ChatMessage> messages, boolean addGenerationPrompt) throws ModelLoadException {
        String text = renderText(messages, addGenerationPrompt, false);
        List<RenderedChat.Span> spans = markedSpans(messages, addGenerationPrompt, text);
        return new RenderedChat(text, spans != null ? spans : searchedSpans(messages, text));
    }

    private String renderText(List<ChatMessage> messages, boolean gen, boolean marked) throws ModelLoadException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", marked ? OPEN + m.content() + CLOSE : m.content());
            list.add(map);
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", list);
        context.put("add_generation_prompt", gen);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        context.put("tools", null);
        HfGlobals.CLOCK.set(clock);
        RenderResult result;
        try {
            result = jinjava.renderForResult(source, context);
        } catch (RuntimeException e) {
            throw failure(e.getMessage(), sourceLine(context, e.getMessage(), lineOf(e)), e);
        } finally {
            HfGlobals.CLOCK.remove();
        }
        TemplateError fatal = fatal(result);
        if (fatal != null) {
            throw failure(
                    fatal.getMessage(),
                    sourceLine(context, fatal.getMessage(), fatal.getLineno()),
                    fatal.getException());
        }
        return result.getOutput();
    }

    private static TemplateError fatal(RenderResult result) {
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                return error;
            }
        }
        return null;
    }

    /**
     * The line of the template source an error is on: the same render without trim_blocks (which Jinjava's line
     * count does not see) fails with the same message at the true line; {@code fallback} if it does not.
     */
    private int sourceLine(Map<String, Object> context, String message, int fallback) {
        HfGlobals.CLOCK.set(clock);
        try {
            TemplateError again = fatal(jinjava(false).renderForResult(source, context));
            return again != null && Objects.equals(again.getMessage(), message) ? again.getLineno() : fallback;
        } catch (RuntimeException e) {
            return Objects.equals(e.getMessage(), message) && lineOf(e) > 0 ? lineOf(e) : fallback;
        } finally {
            HfGlobals.CLOCK.remove();
        }
    }

    /**
     * One line: the template's file, the template line Jinja names (when it names one) and its message; a
     * {@code raise_exception} from the template is the template's own words, without a line.
     */
    private ModelLoadException failure(String message, int lineNumber, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HfGlobals.TemplateRaised) {
                return ModelLoadException.at(origin, "chat template failed: " + oneLine(t.getMessage()));
            }
        }
        String at = lineNumber > 0 ? " at line " + lineNumber : "";
        return ModelLoadException.at(origin, "chat template failed" + at + ": " + oneLine(message));
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replace('\n', ' ').replace('\r', ' ');
    }

    private static int lineOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.hubspot.jinjava.interpret.InterpretException
                    && ((com.hubspot.jinjava.interpret.InterpretException) t).getLineNumber() > 0) {
                return ((com.hubspot.jinjava.interpret.InterpretException) t).getLineNumber();
            }
        }
        return -1;
    }

    /**
     * Message spans from a second render with every message wrapped in markers, trusted only when removing the
     * markers gives exactly the plain render (a template that inspects or rewrites the text may render otherwise).
     */
    private List<RenderedChat.Span> markedSpans(List<ChatMessage> messages, boolean gen, String plain) {
        for (ChatMessage m : messages) {
            if (m.content().indexOf(OPEN) >= 0 || m.content().indexOf(CLOSE) >= 0) {
                return null;
            }
        }
        String marked;
        try {
            marked = renderText(messages, gen, true);
        } catch (ModelLoadException e) {
            return null;
        }
        List<RenderedChat.Span> spans = new ArrayList<>();
        StringBuilder text = new StringBuilder(plain.length());
        int open = -1;
        for (int i = 0; i < marked.length(); i++) {
            char c = marked.charAt(i);
            if (c == OPEN) {
                if (open >= 0) {
                    return null;
                }
                open = text.length();
            } else if (c == CLOSE) {
                if (open < 0) {
                    return null;
                }
                if (text.length() > open) {
                    spans.add(new RenderedChat.Span(open, text.length()));
                }
                open = -1;
            } else {
                text.append(c);
            }
        }
        return open < 0 && text.toString().equals(plain) ? spans : null;
    }

    /** Fallback: each message's text where it next occurs, in order (a rewritten message is left as template). */
    private static List<RenderedChat.Span> searchedSpans(List<ChatMessage> messages, String text) {
        List<RenderedChat.Span> spans = new ArrayList<>();
        int from = 0;
        for (ChatMessage m : messages) {
            int at = m.content().isEmpty() ? -1 : text.indexOf(m.content(), from);
            if (at >= 0) {
                spans.add(new RenderedChat.Span(at, at + m.content().length()));
                from = at + m.content().length();
            }
        }
        return spans;
    }

    /**
     * Jinja syntax Jinjava reads otherwise, rewritten: {@code x[::-1]} → {@code (x|reverse)}; keyword arguments of
     * {@code namespace(...)} parenthesised (Jinjava binds {@code a=b|length - 1} as {@code (a=b|length) - 1});
     * transformers' {@code generation} tags dropped.
     */
    static String prepare(String source) {
        String s = REVERSED.matcher(source).replaceAll(r -> "(" + Matcher.quoteReplacement(r.group(1)) + "|reverse)");
        s = GENERATION_TAG.matcher(s).replaceAll("");
        StringBuilder out = new StringBuilder(s.length() + 16);
        int from = 0;
        for (int at = s.indexOf("namespace(", from); at >= 0; at = s.indexOf("namespace(", from)) {
            int open = at + "namespace".length();
            int close = JinjaArgs.matchingParen(s, open);
            if (close < 0) {
                break;
            }
            out.append(s, from, open + 1).append(JinjaArgs.parenthesiseKeywords(s.substring(open + 1, close)));
            from = close;
        }
        return out.append(s.substring(from)).toString();
    }
}
