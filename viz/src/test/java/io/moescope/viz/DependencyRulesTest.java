package io.moescope.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The dependency arrows of style.md 4.1, checked on the sources (run from the viz module directory). */
class DependencyRulesTest {

    private static final Path MAIN = Path.of("src/main/java/io/moescope/viz");

    private static List<String> filesImporting(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> read(f).lines().anyMatch(l -> l.startsWith("import " + prefix)
                            || l.startsWith("import static " + prefix)))
                    .map(Path::toString).toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void vizKnowsNothingOfTheEngine() throws IOException {
        assertEquals(List.of(), filesImporting(MAIN, "io.moescope.model"));
    }

    @Test
    void dataAndColourHaveNoJavaFx() throws IOException {
        assertEquals(List.of(), filesImporting(MAIN.resolve("data"), "javafx"));
        assertEquals(List.of(), filesImporting(MAIN.resolve("color"), "javafx"));
    }
}
