package io.moescope.app.cli;

import io.moescope.model.io.ModelLoadException;
import io.moescope.model.trace.TraceFormatException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code moescope} command line. Every subcommand prints a one-line error (never a stack trace) on bad input. */
@Command(
        name = "moescope",
        mixinStandardHelpOptions = true,
        version = "MoE Scope 0.1.0",
        description = "See a Mixture-of-Experts model think: run Hugging Face MoE checkpoints on the CPU and trace "
                + "their routing.",
        subcommands = {
            TokenizeCommand.class,
            TraceCommand.class,
            GenerateCommand.class,
            BenchCommand.class,
            CompareCommand.class,
            DiagnoseCommand.class,
            ImportCommand.class,
            TrainTokenizerCommand.class,
            TrainCommand.class,
            ValidateCommand.class,
            SynthCommand.class,
            GuiCommand.class,
            CommandLine.HelpCommand.class
        })
public final class MoeScopeCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MoeScopeCli());
        cl.setExecutionExceptionHandler(MoeScopeCli::handle);
        return cl;
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Expected failures get one clear line and exit code 2; anything else exit code 1 with its message. */
    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        Throwable cause = e;
        if (cause instanceof java.io.UncheckedIOException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.nio.file.NoSuchFileException) {
            err.println("error: " + cause.getMessage() + ": no such file or directory");
            err.flush();
            return 2;
        }
        if (cause instanceof ModelLoadException
                || cause instanceof IllegalArgumentException
                || cause instanceof IllegalStateException
                || cause instanceof TraceFormatException
                || cause instanceof java.io.IOException
                || cause instanceof java.util.concurrent.CancellationException) {
            err.println("error: " + cause.getMessage());
            err.flush();
            return 2;
        }
        err.println("error: unexpected failure: " + cause);
        if (System.getenv("MOESCOPE_DEBUG") != null) {
            cause.printStackTrace(err);
        }
        err.flush();
        return 1;
    }
}
