package io.moescope.app.report;

import io.moescope.base.AtomicFiles;
import io.moescope.model.diagnosis.DiagnosisJson;
import io.moescope.model.diagnosis.DiagnosisReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes report.json, the CSV tables, the SVG charts and report.html into the out directory. */
public final class ReportFiles {

    private ReportFiles() {}

    /** Refuses an existing out directory unless --force; refuses a path that is a file. */
    public static void checkOut(Path out, boolean force) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IllegalArgumentException(out + " exists and is not a directory");
        }
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException(
                    out + " already exists; choose another --out or pass --force to " + "overwrite its report files");
        }
    }

    public static void write(DiagnosisReport report, Path out, boolean force) throws Exception {
        checkOut(out, force);
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve("report.json"), o -> DiagnosisJson.write(report, o));
        for (Map.Entry<String, String> csv : CsvTables.all(report).entrySet()) {
            AtomicFiles.write(
                    out.resolve(csv.getKey()), o -> o.write(csv.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, String> charts = Charts.all(report);
        for (Map.Entry<String, String> c : charts.entrySet()) {
            byte[] bytes = c.getValue().getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(out.resolve(c.getKey()), o -> o.write(bytes));
        }
        String html = HtmlReport.render(report, charts);
        AtomicFiles.write(out.resolve("report.html"), o -> o.write(html.getBytes(StandardCharsets.UTF_8)));
    }
}
