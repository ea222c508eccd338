package io.moescope.app.window;

import io.moescope.app.session.TraceSnapshot;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.ModelShape;
import javafx.scene.control.ComboBox;

/**
 * The toolbar's layer selector: "All layers (stacked)" or one MoE layer, named with its token mixer in hybrid models;
 * drives {@link Workspace#layerProperty()}.
 */
final class LayerChooser extends ComboBox<String> {

    private ModelShape shape;
    private boolean updating;

    LayerChooser(Explorer explorer) {
        setId("layer-chooser");
        setPrefWidth(200); // "All layers (stacked)" whole, with the GTK fonts too
        Workspace ws = explorer.workspace;
        ws.revisionProperty().addListener((obs, o, n) -> sync(ws.primaryView(), ws));
        explorer.engine.modelProperty().addListener((obs, o, m) -> {
            if (m != null) {
                rebuild(m.shape(), ws);
            }
        });
        getSelectionModel().selectedIndexProperty().addListener((obs, o, i) -> {
            if (!updating && i.intValue() >= 0) {
                ws.layerProperty().set(i.intValue() == 0 ? Workspace.ALL_LAYERS : i.intValue() - 1);
            }
        });
        ws.layerProperty().addListener((obs, o, l) -> select(l.intValue()));
    }

    private void sync(TraceSnapshot view, Workspace ws) {
        if (view.shape() != null && !view.shape().equals(shape)) {
            rebuild(view.shape(), ws);
        }
    }

    private void rebuild(ModelShape s, Workspace ws) {
        shape = s;
        updating = true;
        getItems().setAll("All layers (stacked)");
        for (int layer : s.moeLayers()) {
            getItems().add(s.layerLabel(layer));
        }
        updating = false;
        int current = ws.layerProperty().get();
        if (current >= s.moeLayerCount()) {
            ws.layerProperty().set(0);
        }
        select(ws.layerProperty().get());
    }

    private void select(int layer) {
        updating = true;
        getSelectionModel().select(layer == Workspace.ALL_LAYERS ? 0 : layer + 1);
        updating = false;
    }
}
