package io.moescope.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the CLI in-process, capturing its exit code, stdout (System.out and picocli's out) and picocli's err. */
record CliRun(int exitCode, String out, String err) {

    /** The engine's test fixtures (the app module's tests run from app/). */
    static Path fixture(String name) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/fixtures")
                .resolve(name);
    }

    static Path tokenizer(String name) {
        return Path.of("")
                .toAbsolutePath()
                .resolveSibling("model")
                .resolve("src/test/resources/tokenizers")
                .resolve(name);
    }

    /**
     * Runs the arguments. picocli's err writer is replaced by a StringWriter; System.out is captured because the
     * commands print their results there. System.err is left alone: replacing it makes picocli drop the err writer
     * set here.
     */
    static CliRun of(String... args) {
        CommandLine cl = MoeScopeCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        int code;
        try {
            System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
            code = cl.execute(args);
        } finally {
            System.setOut(oldOut);
        }
        return new CliRun(code, out + sysOut.toString(StandardCharsets.UTF_8), err.toString());
    }
}
