package io.moescope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's usage help renders without a picocli warning: descriptions are format strings, so a bare
 * {@code %} ("the last 5 % of each file") makes picocli print {@code [picocli WARN] Could not format ...} and show
 * the raw text. A literal percent sign is written {@code %%}.
 */
class UsageHelpTest {

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, out));
    }

    @Test
    void everyCommandsHelpRendersWithoutAWarning() {
        List<CommandLine> commands = new ArrayList<>();
        collect(MoeScopeCli.commandLine(), commands);
        assertTrue(commands.size() > 10, "the subcommands are registered: " + commands.size());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> problems = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (CommandLine cl : commands) {
                captured.reset();
                String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
                String warned = captured.toString(StandardCharsets.UTF_8);
                if (warned.contains("[picocli WARN]")) {
                    problems.add(cl.getCommandSpec().qualifiedName() + ": " + warned.strip());
                }
                assertFalse(help.isBlank(), cl.getCommandSpec().qualifiedName());
            }
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), problems);
    }

    /** The sentence picocli could not format, as the user now reads it. */
    @Test
    void thePercentOfTheHeldOutCorpusShows() {
        CommandLine train = MoeScopeCli.commandLine().getSubcommands().get("train");
        String help = train.getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");
        assertTrue(help.contains("the last 5 % of each file is held out"), help);
    }
}
