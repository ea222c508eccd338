package io.moescope.app.window;

import io.moescope.viz.VizTheme;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The explorer window as the FX tests open it: main view, app and viz stylesheets, shortcuts attached, shown. */
final class ExplorerWindow {

    private ExplorerWindow() {}

    static MainView show(Stage stage, Explorer explorer, Preferences prefs) {
        return show(stage, explorer, prefs, new ErrorDialogs(stage, true));
    }

    static MainView show(Stage stage, Explorer explorer, Preferences prefs, ErrorDialogs dialogs) {
        MainView main = new MainView(explorer, () -> stage, dialogs, new WindowPrefs(prefs));
        Scene scene = new Scene(main.root(), 1280, 800);
        scene.getStylesheets().addAll(VizTheme.stylesheet(), MainView.stylesheet());
        main.actions().attach(scene.getRoot());
        stage.setScene(scene);
        stage.show();
        return main;
    }
}
