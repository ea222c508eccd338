package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --chat} end to end on the embedded model given a fixture chat template: the trace's prompt tokens are the
 * ids transformers' apply_chat_template gave (model/src/test/resources/chat/expected.json) and exactly the
 * template's tokens carry {@code "source":"template"}; a model without a template, and misused options, are one
 * error line.
 */
class CliChatTest {

    static final Path EMBEDDED = Path.of("..", "resources", "models", "tiny-deepseekmoe")
            .toAbsolutePath()
            .normalize();
    static final Path CHAT = Path.of("..", "model", "src", "test", "resources", "chat")
            .toAbsolutePath()
            .normalize();

    @TempDir
    Path tmp;

    /** The embedded model (weights linked) with the fixture's chat_template.jinja. */
    static Path chatModel(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            Files.createSymbolicLink(dir.resolve(f), EMBEDDED.resolve(f));
        }
        for (String f : List.of("chat_template.jinja", "tokenizer_config.json")) {
            Files.copy(CHAT.resolve("jinja").resolve(f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void traceMarksTheTemplatesTokens() throws Exception {
        JsonNode want = new ObjectMapper()
                .readTree(CHAT.resolve("expected.json").toFile())
                .get(1);
        assertEquals("system", want.get("messages").get(0).get("role").asText());
        CliRun r = CliRun.of(
                "trace",
                "--model",
                chatModel(tmp.resolve("m")).toString(),
                "--chat",
                "--system",
                want.get("messages").get(0).get("content").asText(),
                "--prompt",
                want.get("messages").get(1).get("content").asText());
        assertEquals(0, r.exitCode(), r.err());
        List<Integer> ids = new ArrayList<>();
        List<Boolean> template = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            JsonNode n = new ObjectMapper().readTree(line);
            if ("token".equals(n.path("type").asText())) {
                ids.add(n.get("id").asInt());
                template.add(
                        n.has("source") && "template".equals(n.get("source").asText()));
            }
        }
        List<Integer> wantIds = new ArrayList<>();
        want.get("ids").forEach(i -> wantIds.add(i.asInt()));
        List<Boolean> wantTemplate = new ArrayList<>();
        want.get("from_template").forEach(b -> wantTemplate.add(b.asBoolean()));
        assertEquals(wantIds, ids);
        assertEquals(wantTemplate, template);
    }

    @Test
    void generateRepliesToAChatMessage() throws Exception {
        Path trace = tmp.resolve("t.jsonl");
        CliRun r = CliRun.of(
                "generate",
                "--model",
                chatModel(tmp.resolve("m")).toString(),
                "--chat",
                "--prompt",
                "The experts in a mixture",
                "--greedy",
                "--max-tokens",
                "4",
                "--trace",
                trace.toString());
        assertEquals(0, r.exitCode(), r.err());
        long decoded = Files.readAllLines(trace).stream()
                .filter(l -> l.contains("\"phase\":\"decode\""))
                .count();
        assertTrue(decoded >= 1, "a reply was generated");
        long decodeMarked = Files.readAllLines(trace).stream()
                .filter(l -> l.contains("\"phase\":\"decode\"") && l.contains("\"source\""))
                .count();
        long promptMarked = Files.readAllLines(trace).stream()
                .filter(l -> l.contains("\"source\":\"template\""))
                .count();
        assertEquals(0, decodeMarked);
        assertEquals(21, promptMarked); // 32 prompt tokens, 11 of them the user's (expected.json, first case)
    }

    @Test
    void aModelWithoutATemplateIsOneErrorLine() {
        CliRun r = CliRun.of("generate", "--model", EMBEDDED.toString(), "--chat", "--prompt", "hi");
        assertOneErrorLine(r, "tiny-deepseekmoe", "has no chat template");
    }

    @Test
    void misusedOptionsAreOneErrorLine() throws Exception {
        Path m = chatModel(tmp.resolve("m"));
        assertOneErrorLine(
                CliRun.of("trace", "--model", m.toString(), "--system", "x", "--prompt", "hi"),
                "--system needs --chat");
        assertOneErrorLine(CliRun.of("trace", "--model", m.toString(), "--chat", "--ids", "1,2"), "--prompt");
    }

    @Test
    void aTemplateThatFailsToRenderNamesTheFileAndLine() throws Exception {
        Path m = chatModel(tmp.resolve("m"));
        Files.writeString(
                m.resolve("chat_template.jinja"),
                "{{ bos_token }}\n{% for x in messages %}\n"
                        + "{{ raise_exception('only for testing') if x.role == 'system' }}{{ x.content }}\n{% endfor %}\n"
                        + "{{ messages[0].content | no_such_filter(1) }}{% if %}\n");
        assertOneErrorLine(
                CliRun.of("trace", "--model", m.toString(), "--chat", "--prompt", "hi"),
                "chat_template.jinja: chat template failed at line 5");
    }

    private static void assertOneErrorLine(CliRun r, String... fragments) {
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "exactly one line expected on stderr:\n" + r.err());
        assertTrue(err.startsWith("error: "), err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "stderr should contain '" + f + "': " + err);
        }
        assertEquals("", r.out(), "nothing on stdout");
    }
}
