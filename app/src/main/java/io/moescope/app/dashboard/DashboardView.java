package io.moescope.app.dashboard;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import javafx.beans.value.ObservableDoubleValue;
import javafx.geometry.Insets;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/** Six TilesFX number tiles in a row, bound to the dashboard view model. */
public final class DashboardView extends HBox {

    public DashboardView(DashboardViewModel vm) {
        super(6);
        setId("dashboard");
        setPadding(new Insets(6));
        Tile memory = tile("Trace memory", "MB", 2, vm.memoryMbProperty());
        memory.textProperty().bind(vm.memoryNoteProperty());
        getChildren().addAll(
                tile("Speed", "tok/s", 1, vm.tokensPerSecondProperty()),
                tile("Tokens so far", "", 0, vm.tokensProperty()),
                tile("Active params / token", "M", 2, vm.activeParamsMillionsProperty()),
                tile("Mean routing entropy", "of ln E", 3, vm.entropyProperty()),
                tile("Worst layer imbalance", "max/mean", 2, vm.imbalanceProperty()),
                memory);
    }

    private Tile tile(String title, String unit, int decimals, ObservableDoubleValue value) {
        Tile tile = TileBuilder.create()
                .skinType(Tile.SkinType.NUMBER)
                .prefSize(190, 96)
                .title(title)
                .unit(unit)
                .decimals(decimals)
                .animated(false)
                .build();
        tile.setMinHeight(80);
        tile.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(tile, Priority.ALWAYS);
        tile.setValue(value.get());
        value.addListener((obs, o, n) -> tile.setValue(n.doubleValue()));
        return tile;
    }
}
