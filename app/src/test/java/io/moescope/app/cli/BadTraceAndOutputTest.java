package io.moescope.app.cli;

import static io.moescope.app.cli.BadFiles.assertOneErrorLine;
import static io.moescope.app.cli.BadFiles.assertOnly;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad-input catalogue, traces, corpora, recordings and outputs (cases T1..T27 of docs/reliability.md). */
class BadTraceAndOutputTest {

    private static final String HEADER = "{\"type\":\"header\",\"format\":\"moescope-trace\",\"version\":1,"
            + "\"model_type\":\"deepseek\",\"num_layers\":4,\"moe_layers\":[1,2,3],\"routed_experts\":16,"
            + "\"shared_experts\":2,\"top_k\":4,\"vocab_size\":128}\n";
    /** /dev/full: every write fails with "no space left on device", like a disk that has just filled. */
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path tmp;

    private CliRun diagnoseTrace(Path trace) {
        return CliRun.of(
                "diagnose",
                "--trace",
                trace.toString(),
                "--out",
                tmp.resolve("report").toString());
    }

    private CliRun diagnoseCorpus(Path corpus) {
        return CliRun.of(
                "diagnose",
                "--model",
                CliRun.fixture("olmoe_f32").toString(),
                "--corpus",
                corpus.toString(),
                "--out",
                tmp.resolve("report").toString());
    }

    private static Path recordedTrace() {
        return Path.of("src/test/resources/traces/deepseek_f32.jsonl").toAbsolutePath();
    }

    private Path editedTrace(String from, String to) throws Exception {
        String text = Files.readString(recordedTrace());
        assertTrue(text.contains(from), from);
        return Files.writeString(tmp.resolve("edited.jsonl"), text.replace(from, to));
    }

    @Test
    void t01RandomBytesAsTrace() throws Exception {
        assertOneErrorLine(diagnoseTrace(BadFiles.random(tmp.resolve("random.bin"))), "random.bin");
        assertFalse(Files.exists(tmp.resolve("report")));
    }

    @Test
    void t02EmptyTrace() throws Exception {
        assertOneErrorLine(diagnoseTrace(BadFiles.empty(tmp.resolve("empty.jsonl"))), "empty.jsonl");
    }

    @Test
    void t03Latin1Trace() throws Exception {
        String text = HEADER + "{\"type\":\"sequence\",\"text\":\"caf\u00e9\"}\n";
        Path trace = Files.write(tmp.resolve("latin1.jsonl"), text.getBytes(StandardCharsets.ISO_8859_1));
        assertOneErrorLine(diagnoseTrace(trace), "latin1.jsonl");
    }

    @Test
    void t04Utf16Trace() throws Exception {
        assertOneErrorLine(diagnoseTrace(BadFiles.utf16(tmp.resolve("utf16.jsonl"), HEADER)), "utf16.jsonl");
    }

    @Test
    void t05TraceIsADirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("trace.jsonl"));
        assertOneErrorLine(diagnoseTrace(dir), "trace.jsonl");
    }

    @Test
    void t06TraceExpertOutsideItsHeaderShape() throws Exception {
        Path trace = editedTrace("\"routed_experts\":16", "\"routed_experts\":4");
        assertOneErrorLine(diagnoseTrace(trace), "edited.jsonl");
    }

    @Test
    void t07TraceRoutingOnALayerItsHeaderCallsDense() throws Exception {
        Path trace = editedTrace("\"moe_layers\":[1,2,3]", "\"moe_layers\":[1]");
        assertOneErrorLine(diagnoseTrace(trace), "edited.jsonl");
    }

    @Test
    void t08TraceTopKLargerThanItsRecords() throws Exception {
        Path trace = editedTrace("\"top_k\":4", "\"top_k\":6");
        assertOneErrorLine(diagnoseTrace(trace), "edited.jsonl");
    }

    @Test
    void t09BinaryCorpus() throws Exception {
        assertOneErrorLine(diagnoseCorpus(BadFiles.random(tmp.resolve("noise.txt"))), "noise.txt");
    }

    @Test
    void t10EmptyCorpus() throws Exception {
        assertOneErrorLine(diagnoseCorpus(BadFiles.empty(tmp.resolve("empty.txt"))), "empty.txt");
    }

    @Test
    void t11CorpusIsADirectory() throws Exception {
        assertOneErrorLine(diagnoseCorpus(Files.createDirectories(tmp.resolve("corpus.txt"))), "corpus.txt");
    }

    @Test
    void t12Latin1JsonlCorpus() throws Exception {
        Path corpus = Files.write(
                tmp.resolve("latin1.jsonl"),
                "{\"text\": \"caf\u00e9 cr\u00e8me\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertOneErrorLine(diagnoseCorpus(corpus), "latin1.jsonl");
    }

    @Test
    void t13GarbageIdsCorpus() throws Exception {
        Path corpus = Files.writeString(tmp.resolve("bad.ids"), "1 2 3\nfour five\n");
        assertOneErrorLine(diagnoseCorpus(corpus), "bad.ids");
    }

    @Test
    void t14TokenizerCorpusIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("corpus.txt"), "some text\n");
        assertOneErrorLine(
                CliRun.of(
                        "train-tokenizer",
                        "--corpus",
                        file.toString(),
                        "--vocab",
                        "300",
                        "--out",
                        tmp.resolve("tok").toString()),
                "corpus.txt");
    }

    @Test
    void t15TrainCorpusIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("corpus.txt"), "some text\n");
        assertOneErrorLine(
                CliRun.of(
                        "train",
                        "--corpus",
                        file.toString(),
                        "--out",
                        tmp.resolve("m").toString(),
                        "--steps",
                        "1"),
                "corpus.txt");
    }

    @Test
    void t16TraceOutToAFullDisk() {
        assertOneErrorLine(
                CliRun.of(
                        "trace",
                        "--model",
                        CliRun.fixture("olmoe_f32").toString(),
                        "--ids",
                        "1,2",
                        "--out",
                        FULL.toString()),
                "/dev/full");
        assertTrue(Files.exists(FULL) && !Files.isRegularFile(FULL), "/dev/full is still the device");
    }

    @Test
    void t17GenerateTraceToAFullDisk() {
        assertOneErrorLine(
                CliRun.of(
                        "generate",
                        "--model",
                        CliRun.fixture("olmoe_f32").toString(),
                        "--ids",
                        "1,2",
                        "--max-tokens",
                        "2",
                        "--trace",
                        FULL.toString()),
                "/dev/full");
        assertTrue(Files.exists(FULL) && !Files.isRegularFile(FULL), "/dev/full is still the device");
    }

    @Test
    void t18ImportOutToAFullDisk() throws Exception {
        Path pt = Files.copy(recordingFixture(), tmp.resolve("rec.pt"));
        assertOneErrorLine(
                CliRun.of(
                        "import",
                        pt.toString(),
                        "--model-config",
                        recordingConfig().toString(),
                        "--out",
                        FULL.toString(),
                        "--force"),
                "/dev/full");
        assertTrue(Files.exists(FULL) && !Files.isRegularFile(FULL), "/dev/full is still the device");
        assertOnly(tmp, "rec.pt");
    }

    @Test
    void t19TraceOutIsADirectory() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out.jsonl"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        assertOneErrorLine(
                CliRun.of(
                        "trace",
                        "--model",
                        CliRun.fixture("olmoe_f32").toString(),
                        "--ids",
                        "1,2",
                        "--out",
                        dir.toString()),
                "out.jsonl");
        assertOnly(tmp, "out.jsonl");
        assertOnly(dir, "keep.txt");
    }

    @Test
    void t20TraceOutUnderAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "mine");
        assertOneErrorLine(
                CliRun.of(
                        "trace",
                        "--model",
                        CliRun.fixture("olmoe_f32").toString(),
                        "--ids",
                        "1,2",
                        "--out",
                        file.resolve("t.jsonl").toString()),
                "notes.txt");
        assertOnly(tmp, "notes.txt");
    }

    @Test
    void t21DiagnoseOutIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("report"), "mine");
        assertOneErrorLine(
                CliRun.of("diagnose", "--trace", recordedTrace().toString(), "--out", file.toString(), "--force"),
                "report");
        assertOnly(tmp, "report");
    }

    @Test
    void t22RandomPt() throws Exception {
        Path pt = BadFiles.random(tmp.resolve("random.pt"));
        assertOneErrorLine(importOf(pt), "random.pt");
        assertOnly(tmp, "random.pt");
    }

    @Test
    void t23EmptyPt() throws Exception {
        Path pt = BadFiles.empty(tmp.resolve("empty.pt"));
        assertOneErrorLine(importOf(pt), "empty.pt");
        assertOnly(tmp, "empty.pt");
    }

    @Test
    void t24PtIsADirectory() throws Exception {
        Path pt = Files.createDirectories(tmp.resolve("dump.pt"));
        assertOneErrorLine(importOf(pt), "dump.pt");
        assertOnly(tmp, "dump.pt");
    }

    @Test
    void t25BinaryModelConfigForImport() throws Exception {
        Path pt = Files.copy(recordingFixture(), tmp.resolve("rec.pt"));
        Path config = BadFiles.random(tmp.resolve("config.json"));
        assertOneErrorLine(
                CliRun.of(
                        "import",
                        pt.toString(),
                        "--model-config",
                        config.toString(),
                        "--out",
                        tmp.resolve("t.jsonl").toString()),
                "config.json");
        assertOnly(tmp, "rec.pt", "config.json");
    }

    private CliRun importOf(Path pt) {
        return CliRun.of(
                "import",
                pt.toString(),
                "--model-config",
                recordingConfig().toString(),
                "--out",
                tmp.resolve("t.jsonl").toString());
    }

    private static Path recordingConfig() {
        return recording("config.json");
    }

    private static Path recordingFixture() {
        return recording("sglang_stat.pt");
    }

    private static Path recording(String name) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/recording")
                .resolve(name);
    }
}
