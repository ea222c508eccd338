package io.moescope.app.window;

import io.moescope.app.session.AppPaths;
import io.moescope.app.session.RecentFiles;
import io.moescope.viz.VizTheme;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;

/** The menu bar with every command and its keyboard shortcut. */
final class MainMenu {

    private MainMenu() {}

    static MenuBar build(Actions actions, TeachActions teach, TabPane tabs) {
        Explorer ex = actions.explorer();
        Menu recent = new Menu("Open recent");
        recent.setOnShowing(e -> fillRecent(recent, ex));
        recent.getItems().add(new MenuItem("(none)"));
        MenuItem embedded = item("Open embedded model", null, () -> {
            Path dir = AppPaths.embeddedModel();
            if (dir == null) {
                ex.engine.openModel(AppPaths.home().resolve(AppPaths.EMBEDDED_MODEL));
            } else {
                ex.engine.openModel(dir);
            }
        });
        Menu file = new Menu(
                "File",
                null,
                item("Open model (.gguf or directory)…", "Shortcut+O", actions::openModel),
                item("Open trace…", "Shortcut+Shift+O", actions::openTrace),
                item("Import recording…", "Shortcut+I", actions::importRecording),
                recent,
                embedded,
                new SeparatorMenuItem(),
                item("Save trace as JSONL…", "Shortcut+S", actions::saveTrace),
                item("Export current view as PNG…", "Shortcut+E", actions::exportPng),
                item("Export current view as SVG…", "Shortcut+Shift+E", actions::exportSvg),
                item("Export load table as CSV…", "Shortcut+Shift+C", actions::exportCsv),
                new SeparatorMenuItem(),
                item("Diagnose corpus…", "Shortcut+D", () -> {
                    tabs.getTabs().stream()
                            .filter(t -> "tab-diagnosis".equals(t.getId()))
                            .findFirst()
                            .ifPresent(t -> tabs.getSelectionModel().select(t));
                    actions.diagnoseCorpus();
                }),
                item("Save diagnosis report…", null, actions::saveDiagnosisReport),
                new SeparatorMenuItem(),
                item("Quit", "Shortcut+Q", Platform::exit));
        Menu run = new Menu(
                "Run",
                null,
                item("Generate", "Shortcut+Enter", actions::generate),
                item("Stop", "Esc", actions::stop),
                item("Re-run with intervention", "Shortcut+R", ex.interventions::rerun),
                item("Clear intervention", null, ex.interventions::clear));
        Menu view = new Menu("View");
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int index = i;
            view.getItems()
                    .add(item(
                            tabs.getTabs().get(i).getText(),
                            "Shortcut+" + (i + 1),
                            () -> tabs.getSelectionModel().select(index)));
        }
        view.getItems().add(new SeparatorMenuItem());
        ToggleGroup palettes = new ToggleGroup();
        for (String name : new String[] {"viridis", "cividis", "magma"}) {
            RadioMenuItem p = new RadioMenuItem("Palette: " + name);
            p.setToggleGroup(palettes);
            p.setSelected(name.equals(ex.workspace.paletteProperty().get()));
            ex.workspace.paletteProperty().addListener((obs, o, n) -> p.setSelected(name.equals(n)));
            p.setOnAction(e -> actions.setPalette(name));
            view.getItems().add(p);
        }
        view.getItems()
                .addAll(
                        new SeparatorMenuItem(),
                        item("Dark theme", null, () -> actions.setTheme(VizTheme.DARK)),
                        item("Light theme", null, () -> actions.setTheme(VizTheme.LIGHT)),
                        item("Toggle theme", "Shortcut+T", actions::toggleTheme));
        Menu teaching = new Menu(
                "Teach",
                null,
                item("Walk through this token", "Shortcut+W", teach::walkThrough),
                item("Fine-grained vs coarse experts", null, teach::fineVsCoarse),
                item("Open lesson…", "Shortcut+L", teach::openLesson),
                item("Load balancing", "Shortcut+B", teach::loadBalancing),
                item("Presentation mode", "F5", teach::togglePresentation));
        return new MenuBar(file, run, view, teaching);
    }

    private static void fillRecent(Menu menu, Explorer ex) {
        menu.getItems().clear();
        for (RecentFiles.Entry entry : ex.engine.recentFiles().entries()) {
            menu.getItems().add(item(entry.display(), null, () -> {
                if (entry.model()) {
                    ex.engine.openModel(entry.path());
                } else {
                    ex.engine.openTrace(entry.path());
                }
            }));
        }
        if (menu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("(none)");
            none.setDisable(true);
            menu.getItems().add(none);
        }
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem item = new MenuItem(text);
        if (accelerator != null) {
            item.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        item.setOnAction(e -> action.run());
        return item;
    }
}
