package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.Launcher;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in long commands (cases C1, C2 of docs/reliability.md): a child JVM runs the command, gets SIGINT once it
 * is under way, and must exit within seconds, ending with one line and leaving no partial file.
 */
class CtrlCTest {

    @TempDir
    Path tmp;

    @Test
    void c01GenerateStopsPromptlyAndLeavesNoTrace() throws Exception {
        Path trace = tmp.resolve("run.jsonl");
        Process p = start(
                "generate",
                "--model",
                CliRun.fixture("deepseek_v3_f32").toString(),
                "--ids",
                "1,2",
                "--max-tokens",
                "100000",
                "--ignore-eos", // a random model may end by itself before the signal comes
                "--trace",
                trace.toString());
        // under way once the trace's temporary sibling exists and holds some records
        waitFor(p, () -> temporaries().stream().anyMatch(f -> size(f) > 20_000));
        String err = interruptAndWait(p);
        assertEquals(1, err.lines().count(), "one line on stderr:\n" + err);
        assertTrue(err.startsWith("error: interrupted (Ctrl-C)") && err.contains("run.jsonl not written"), err);
        assertFalse(Files.exists(trace), "no trace file");
        assertTrue(temporaries().isEmpty(), "no temporary left: " + temporaries());
    }

    @Test
    void c02DiagnoseStopsPromptlyWithACompleteReport() throws Exception {
        Path corpus = Files.writeString(
                tmp.resolve("long.ids"),
                IntStream.range(0, 400_000)
                                .mapToObj(i -> Integer.toString(1 + i % 100))
                                .collect(Collectors.joining(" "))
                        + "\n");
        Path out = tmp.resolve("report");
        Process p = start(
                "diagnose",
                "--model",
                CliRun.fixture("olmoe_f32").toString(),
                "--corpus",
                corpus.toString(),
                "--out",
                out.toString());
        Path stderr = tmp.resolve("stderr.txt");
        waitFor(p, () -> read(stderr).contains("tokens")); // the progress bar has started
        String err = interruptAndWait(p);
        String last = err.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.contains("cancelled: the report covers"), "last line says what was done:\n" + err);
        assertFalse(err.contains("Exception"), err);
        assertTrue(Files.isRegularFile(out.resolve("report.html")), "the report of the tokens processed is whole");
        assertTrue(temporaries().isEmpty(), "no temporary left: " + temporaries());
    }

    private Process start(String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java.toString(), "-Xmx1g"));
        // the engine's JVM options as this test JVM got them (the Vector API module, JavaCPP's limits)
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dorg.bytedeco"))
                .forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectOutput(tmp.resolve("stdout.txt").toFile())
                .redirectError(tmp.resolve("stderr.txt").toFile())
                .start();
    }

    private static void waitFor(Process p, BooleanSupplier started) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!started.getAsBoolean()) {
            assertTrue(p.isAlive(), "the command ended before it was interrupted");
            assertTrue(System.nanoTime() < deadline, "the command did not start within 120 s");
            Thread.sleep(50);
        }
    }

    /**
     * Sends SIGINT (what Ctrl-C sends) and returns stderr, with the progress bar's carriage-return frames removed. A
     * process started in the background by a non-interactive shell ({@code nohup mvn verify &}) inherits SIGINT as
     * ignored, and so does the child: the JVM then installs no handler for it, as a Unix program should. There the
     * test sends SIGTERM, which takes the same shutdown path in the command.
     */
    private String interruptAndWait(Process p) throws Exception {
        new ProcessBuilder("kill", sigintIgnored() ? "-TERM" : "-INT", Long.toString(p.pid()))
                .inheritIO()
                .start()
                .waitFor();
        long t0 = System.nanoTime();
        boolean exited = p.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        assertTrue(exited, "exited within 30 s of Ctrl-C");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30));
        String err = read(tmp.resolve("stderr.txt"));
        return err.lines()
                .map(l -> l.substring(l.lastIndexOf('\r') + 1))
                .filter(l -> !l.isBlank())
                .filter(l -> !l.startsWith("WARNING: Using incubator modules")) // the JVM's own, before main
                .collect(Collectors.joining("\n"));
    }

    /** Whether this JVM (and so its child) has SIGINT ignored: bit 1 of {@code SigIgn} in /proc/self/status. */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        return Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .map(l -> Long.parseLong(l.substring("SigIgn:".length()).trim(), 16))
                .anyMatch(mask -> (mask & 0b10) != 0);
    }

    private List<Path> temporaries() {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0; // renamed or not there yet
        }
    }
}
