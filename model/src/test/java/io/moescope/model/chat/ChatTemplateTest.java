package io.moescope.model.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.tokenizer.HfTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DeepSeek-V3 and Qwen3 chat templates render every conversation of tokenizers/gguf/chat.json exactly as
 * transformers' apply_chat_template(tokenize=False) did, from tokenizer_config.json and from GGUF metadata, and
 * message text is told apart from template text.
 */
class ChatTemplateTest {

    static Path resources() {
        try {
            return Path.of(ChatTemplateTest.class.getResource("/tokenizers").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ChatMessage> messages(JsonNode list) {
        List<ChatMessage> out = new ArrayList<>();
        list.forEach(m ->
                out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        return out;
    }

    /** The chat template and BOS/EOS ids of a GGUF metadata fixture (only the keys a chat template needs). */
    static Map<String, Object> ggufMetadata(String name) throws IOException {
        try (InputStream in =
                new GZIPInputStream(Files.newInputStream(resources().resolve("gguf/" + name + ".json.gz")))) {
            JsonNode root = new ObjectMapper().readTree(in);
            Map<String, Object> md = new LinkedHashMap<>();
            md.put(
                    "tokenizer.chat_template",
                    root.get("tokenizer.chat_template").asText());
            List<Object> tokens = new ArrayList<>();
            root.get("tokenizer.ggml.tokens").forEach(t -> tokens.add(t.asText()));
            md.put("tokenizer.ggml.tokens", tokens);
            for (String k : List.of("tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id")) {
                if (root.has(k)) {
                    md.put(k, root.get(k).asLong());
                }
            }
            return md;
        }
    }

    @Test
    void rendersLikeTransformersFromConfigAndFromGguf() throws Exception {
        JsonNode golden = new ObjectMapper()
                .readTree(resources().resolve("gguf/chat.json").toFile());
        Map<String, ChatTemplate> fromDir = Map.of(
                "deepseek_v3", ChatTemplate.fromModelDir(resources().resolve("deepseek_v3")),
                "qwen3", ChatTemplate.fromModelDir(resources().resolve("qwen3")));
        Map<String, ChatTemplate> fromGguf = Map.of(
                "deepseek_v3", ChatTemplate.fromGguf(Path.of("deepseek_v3.gguf"), ggufMetadata("deepseek_v3")),
                "qwen3", ChatTemplate.fromGguf(Path.of("qwen3.gguf"), ggufMetadata("qwen3")));
        int n = 0;
        for (JsonNode r : golden) {
            String name = r.get("tokenizer").asText();
            List<ChatMessage> msgs = messages(r.get("messages"));
            boolean gen = r.get("add_generation_prompt").asBoolean();
            String want = r.get("text").asText();
            assertEquals(want, fromDir.get(name).render(msgs, gen).text(), name + " " + msgs);
            assertEquals(want, fromGguf.get(name).render(msgs, gen).text(), name + " (gguf) " + msgs);
            n++;
        }
        assertEquals(14, n);
    }

    @Test
    void marksMessageTextEvenWhenItRepeatsTheTemplate() throws ModelLoadException {
        ChatTemplate qwen = ChatTemplate.fromModelDir(resources().resolve("qwen3"));
        RenderedChat chat = qwen.render(List.of(ChatMessage.user("user"), ChatMessage.user("Hello!")), true);
        assertEquals(
                "<|im_start|>user\nuser<|im_end|>\n<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
                chat.text());
        List<String> spans = new ArrayList<>();
        chat.messageSpans().forEach(s -> spans.add(chat.text().substring(s.start(), s.end())));
        assertEquals(List.of("user", "Hello!"), spans);
        assertEquals(17, chat.messageSpans().get(0).start()); // the content, not the role header at 12
    }

    @Test
    void tokensAreFlaggedTemplateOrMessage() throws ModelLoadException {
        RenderedChat chat = ChatTemplate.fromModelDir(resources().resolve("qwen3"))
                .render(List.of(ChatMessage.user("Hi 🦙 there")), true);
        try (HfTokenizer tok = HfTokenizer.load(resources().resolve("qwen3"))) {
            ChatTokens t = ChatTokens.encode(tok, chat);
            List<Integer> message = new ArrayList<>();
            List<Integer> template = new ArrayList<>();
            for (int i = 0; i < t.ids().length; i++) {
                (t.fromTemplate()[i] ? template : message).add(t.ids()[i]);
            }
            assertEquals(
                    "Hi 🦙 there",
                    tok.decode(message.stream().mapToInt(Integer::intValue).toArray(), false));
            assertEquals(
                    "<|im_start|>user\n<|im_end|>\n<|im_start|>assistant\n",
                    tok.decode(template.stream().mapToInt(Integer::intValue).toArray(), false));
            assertEquals(tok.encode(chat.text(), false).length, t.ids().length);
        }
    }

    @Test
    void aRewrittenMessageFallsBackToSearching() throws ModelLoadException {
        // Qwen3 drops the reasoning of an earlier assistant turn: the message is not verbatim, the user turns are
        ChatTemplate qwen = ChatTemplate.fromModelDir(resources().resolve("qwen3"));
        RenderedChat chat = qwen.render(
                List.of(
                        ChatMessage.user("Q1"),
                        ChatMessage.assistant("<think>\nhm\n</think>\n\nA1"),
                        ChatMessage.user("Q2")),
                true);
        List<String> spans = new ArrayList<>();
        chat.messageSpans().forEach(s -> spans.add(chat.text().substring(s.start(), s.end())));
        assertTrue(spans.contains("Q1") && spans.contains("Q2"), spans.toString());
    }

    @Test
    void templateErrorsAreOneLineNamingTheFile() {
        ChatTemplate raising = ChatTemplate.of(
                "{% if messages[0].role != 'user' %}{{ raise_exception('Conversation"
                        + " must start with the user') }}{% endif %}ok",
                Path.of("chat_template.jinja"), "", "");
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> raising.render(List.of(ChatMessage.system("x")), false));
        assertEquals(
                "chat_template.jinja: chat template failed: Conversation must start with the user", e.getMessage());

        ChatTemplate broken = ChatTemplate.of("{% if %}", Path.of("model.gguf"), "", "");
        String m = assertThrows(ModelLoadException.class, () -> broken.render(List.of(), false))
                .getMessage();
        assertTrue(m.startsWith("model.gguf: chat template failed at line 1: ") && !m.contains("\n"), m);
    }

    @Test
    void providesTheHuggingFaceGlobals() throws ModelLoadException {
        Clock clock = Clock.fixed(Instant.parse("2025-03-07T10:00:00Z"), ZoneOffset.UTC);
        ChatTemplate t = ChatTemplate.of(
                        "{{ bos_token }}{{ strftime_now('%d %b %Y') }}|{{ tools is none }}|"
                                + "{{ {'a': [1, 'é'], 'b': none} | tojson }}|{{ ' x\n'.strip() }}|{{ 'a.b.c'.split('.', 1) | tojson }}"
                                + "|{% for m in messages[::-1] %}{{ m.content }}{% if loop.last %}!{% endif %}{% endfor %}"
                                + "|{{ 'abc'.startswith(('x', 'ab')) }}",
                        Path.of("t.jinja"), "<s>", "</s>")
                .withClock(clock);
        String out = t.render(List.of(ChatMessage.user("1"), ChatMessage.user("2")), false)
                .text();
        assertEquals("<s>07 Mar 2025|true|{\"a\": [1, \"é\"], \"b\": null}|x|[\"a\", \"b.c\"]|21!|true", out);
    }

    @Test
    void prefersChatTemplateJinjaInADirectory(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"config\", \"bos_token\":" + " {\"content\": \"<B>\"}}");
        assertEquals(
                "config",
                ChatTemplate.fromModelDir(dir).render(List.of(), false).text());
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ bos_token }}file");
        assertEquals(
                "<B>file",
                ChatTemplate.fromModelDir(dir).render(List.of(), false).text());
    }
}
