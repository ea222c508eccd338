package io.moescope.model.chat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.tokenizer.HfTokenizer;
import io.moescope.model.trace.JsonlTraceReader;
import io.moescope.model.trace.JsonlTraceWriter;
import io.moescope.model.trace.Phase;
import io.moescope.model.trace.TokenEmitted;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory model's chat template (all three Hugging Face forms) renders and tokenizes as transformers did
 * (chat/expected.json, tools/reference/make_chat_fixtures.py), template and user tokens are told apart at every
 * boundary, the trace carries the marks, and models without or with a bad template fail in one line.
 */
class ChatModelTest {

    static final Path EMBEDDED =
            Path.of("../resources/models/tiny-deepseekmoe").toAbsolutePath().normalize();

    static Path chat(String name) {
        try {
            return Path.of(ChatModelTest.class.getResource("/chat/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The embedded model (weights linked, not copied) plus the files of a chat fixture directory. */
    static Path modelWith(Path tmp, Path templateFiles) throws IOException {
        Files.createDirectories(tmp);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.createSymbolicLink(tmp.resolve(f), EMBEDDED.resolve(f));
        }
        if (templateFiles != null) {
            try (var files = Files.list(templateFiles)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, tmp.resolve(f.getFileName()));
                }
            }
        }
        return tmp;
    }

    static List<ChatMessage> messages(JsonNode list) {
        return ChatTemplateTest.messages(list);
    }

    static String system(List<ChatMessage> m) {
        return m.size() > 1 ? m.get(0).content() : null;
    }

    static String user(List<ChatMessage> m) {
        return m.get(m.size() - 1).content();
    }

    static boolean[] flags(JsonNode a) {
        boolean[] out = new boolean[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asBoolean();
        }
        return out;
    }

    @Test
    void everyDirectoryFormRendersAndTokenizesLikeTransformers() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(chat("expected.json").toFile());
        try (HfTokenizer tok = HfTokenizer.load(EMBEDDED.resolve("tokenizer.json"))) {
            for (String form : List.of("jinja", "string", "named")) {
                ChatTemplate template = ChatTemplate.findInModelDir(chat(form));
                assertNotNull(template, form);
                for (JsonNode c : golden) {
                    List<ChatMessage> m = messages(c.get("messages"));
                    assertEquals(
                            c.get("text").asText(), template.render(m, true).text(), form);
                    ChatTokens t = ChatTokens.userTurn(template, tok, system(m), user(m));
                    int[] ids = new ObjectMapper().convertValue(c.get("ids"), int[].class);
                    assertArrayEquals(ids, t.ids(), form + " " + m);
                    assertArrayEquals(flags(c.get("from_template")), t.fromTemplate(), form + " " + m);
                }
            }
        }
    }

    @Test
    void userTokensDecodeToExactlyTheUsersText() throws Exception {
        try (HfTokenizer tok = HfTokenizer.load(EMBEDDED.resolve("tokenizer.json"))) {
            ChatTemplate template = ChatTemplate.findInModelDir(chat("jinja"));
            ChatTokens t = ChatTokens.userTurn(template, tok, null, "end|> 🦙 user");
            List<Integer> user = new ArrayList<>();
            for (int i = 0; i < t.ids().length; i++) {
                if (!t.fromTemplate()[i]) {
                    user.add(t.ids()[i]);
                }
            }
            assertEquals(
                    "end|> 🦙 user",
                    tok.decode(user.stream().mapToInt(Integer::intValue).toArray(), false));
            assertTrue(t.fromTemplate()[0] && t.fromTemplate()[t.ids().length - 1], "BOS and the generation prompt");
        }
    }

    @Test
    void theTraceMarksTemplateTokensAndReadsBack(@TempDir Path tmp) throws Exception {
        Path dir = modelWith(tmp.resolve("m"), chat("jinja"));
        Path trace = tmp.resolve("trace.jsonl");
        try (MoeModel model = MoeModel.open(dir)) {
            ChatTokens t =
                    ChatTokens.userTurn(model.requireChatTemplate(), model.requireTokenizer(), "Be brief.", "Hello");
            GenerationRequest req =
                    GenerationRequest.of(t.ids(), 3, SamplingParams.GREEDY).withTemplateTokens(t.fromTemplate());
            try (OutputStream out = Files.newOutputStream(trace);
                    JsonlTraceWriter w = new JsonlTraceWriter(out, false)) {
                new Generator(model).generate(req, w, TokenListener.NONE);
            }
            List<TokenEmitted> tokens = new ArrayList<>();
            JsonlTraceReader.read(trace, e -> {
                if (e instanceof TokenEmitted) {
                    tokens.add((TokenEmitted) e);
                }
            });
            int marked = 0;
            for (TokenEmitted e : tokens) {
                boolean want = e.phase() == Phase.PREFILL && t.fromTemplate()[e.position()];
                assertEquals(want, e.fromTemplate(), "position " + e.position());
                marked += want ? 1 : 0;
            }
            assertTrue(tokens.size() > t.ids().length && marked > 0 && marked < t.ids().length);
            long lines = Files.readAllLines(trace).stream()
                    .filter(l -> l.contains("\"source\":\"template\""))
                    .count();
            assertEquals(marked, lines);
        }
    }

    @Test
    void aModelWithoutATemplateSaysSoInOneLine(@TempDir Path tmp) throws Exception {
        assertNull(ChatTemplate.findInModelDir(EMBEDDED));
        try (MoeModel model = MoeModel.open(EMBEDDED)) {
            assertNull(model.chatTemplate());
            String m = assertThrows(ModelLoadException.class, model::requireChatTemplate)
                    .getMessage();
            assertTrue(m.startsWith(EMBEDDED + ": has no chat template") && !m.contains("\n"), m);
        }
    }

    @Test
    void aBadTemplateNamesItsFileAndLine(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("tokenizer_config.json"), "{\"chat_template\": 42}");
        String m = assertThrows(ModelLoadException.class, () -> ChatTemplate.findInModelDir(tmp))
                .getMessage();
        assertEquals(
                tmp.resolve("tokenizer_config.json") + ": chat_template must be a string or a list of"
                        + " {\"name\", \"template\"} objects, got number",
                m);

        Files.writeString(
                tmp.resolve("chat_template.jinja"),
                "{{ bos_token }}\n{% for m in messages %}\n" + "{% if %}{{ m.content }}{% endif %}\n{% endfor %}\n");
        ChatTemplate bad = ChatTemplate.findInModelDir(tmp); // the .jinja file wins, and reads
        String r = assertThrows(ModelLoadException.class, () -> bad.render(List.of(ChatMessage.user("x")), true))
                .getMessage();
        assertTrue(
                r.startsWith(tmp.resolve("chat_template.jinja") + ": chat template failed at line 3: ")
                        && !r.contains("\n"),
                r);
    }

    @Test
    void aModelWithABadTemplateFailsToOpenNamingTheFile(@TempDir Path tmp) throws Exception {
        Path dir = modelWith(tmp, null);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": [{\"name\": \"default\"}]}");
        String m =
                assertThrows(ModelLoadException.class, () -> MoeModel.open(dir)).getMessage();
        assertTrue(m.startsWith(dir.resolve("tokenizer_config.json") + ": chat_template must be"), m);
        assertFalse(m.contains("\n"));
    }
}
