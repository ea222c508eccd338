package io.moescope.app.prompt;

import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/** Prompt editor, sampling settings and Generate / Stop. */
public final class PromptView extends VBox {

    private final TextArea prompt = new TextArea();

    public PromptView(PromptViewModel vm) {
        super(6);
        setId("prompt-view");
        setPadding(new Insets(6));
        prompt.setId("prompt");
        prompt.setWrapText(true);
        prompt.setPrefRowCount(4);
        prompt.textProperty().bindBidirectional(vm.promptProperty());
        Spinner<Integer> max = new Spinner<>(0, 100_000, vm.maxTokensProperty().get(), 8);
        max.setEditable(true);
        max.getValueFactory()
                .valueProperty()
                .addListener((obs, o, n) -> vm.maxTokensProperty().set(n));
        vm.maxTokensProperty().addListener((obs, o, n) -> max.getValueFactory().setValue(n.intValue()));
        Spinner<Double> temperature =
                new Spinner<>(0.0, 5.0, vm.temperatureProperty().get(), 0.1);
        temperature.setEditable(true);
        temperature
                .getValueFactory()
                .valueProperty()
                .addListener((obs, o, n) -> vm.temperatureProperty().set(n));
        Spinner<Double> topP = new Spinner<>(0.01, 1.0, vm.topPProperty().get(), 0.05);
        topP.setEditable(true);
        topP.getValueFactory()
                .valueProperty()
                .addListener((obs, o, n) -> vm.topPProperty().set(n));
        TextField seed = new TextField(String.valueOf(vm.seedProperty().get()));
        seed.textProperty().addListener((obs, o, n) -> {
            try {
                vm.seedProperty().set(Long.parseLong(n.trim()));
            } catch (NumberFormatException e) {
                seed.setText(o);
            }
        });
        CheckBox greedy = new CheckBox("Greedy");
        greedy.selectedProperty().bindBidirectional(vm.greedyProperty());
        temperature.disableProperty().bind(greedy.selectedProperty());
        topP.disableProperty().bind(greedy.selectedProperty());
        seed.disableProperty().bind(greedy.selectedProperty());
        for (Spinner<?> s : new Spinner<?>[] {max, temperature, topP}) {
            s.setPrefWidth(96);
        }
        seed.setPrefWidth(96);
        GridPane grid = new GridPane();
        grid.setHgap(6);
        grid.setVgap(4);
        grid.addRow(0, new Label("Max tokens"), max, new Label("Seed"), seed);
        grid.addRow(1, new Label("Temperature"), temperature, new Label("Top-p"), topP);
        grid.add(greedy, 0, 2, 2, 1);
        Button generate = new Button("Generate", new FontIcon("mdi2p-play"));
        generate.setId("generate");
        generate.setTooltip(new javafx.scene.control.Tooltip("Ctrl+Enter"));
        generate.setOnAction(e -> vm.generate());
        Button stop = new Button("Stop", new FontIcon("mdi2s-stop"));
        stop.setId("stop");
        stop.setTooltip(new javafx.scene.control.Tooltip("Esc"));
        stop.setOnAction(e -> vm.stop());
        var session = vm.session();
        generate.disableProperty()
                .bind(session.modelProperty()
                        .isNull()
                        .or(session.generatingProperty())
                        .or(session.loadingProperty()));
        stop.disableProperty()
                .bind(session.generatingProperty()
                        .not()
                        .and(session.loadingProperty().not()));
        Label title = new Label("Prompt");
        title.getStyleClass().add("section");
        getChildren().addAll(new HBox(12, title, modeToggle(vm)), prompt, grid, new HBox(6, generate, stop));
    }

    /** Text / Chat: Chat sends the prompt as a user message through the model's chat template. */
    private static HBox modeToggle(PromptViewModel vm) {
        ToggleGroup group = new ToggleGroup();
        ToggleButton text = new ToggleButton("Text");
        text.setId("prompt-mode-text");
        text.setTooltip(new Tooltip("The prompt is fed to the model as it is"));
        ToggleButton chat = new ToggleButton("Chat");
        chat.setId("prompt-mode-chat");
        chat.setTooltip(new Tooltip("The prompt is a user message, wrapped in the model's chat template; the "
                + "template's tokens are dimmed in the views"));
        text.setToggleGroup(group);
        chat.setToggleGroup(group);
        group.selectToggle(vm.chatProperty().get() ? chat : text);
        vm.chatProperty().addListener((obs, o, on) -> group.selectToggle(on ? chat : text));
        group.selectedToggleProperty().addListener((obs, o, n) -> {
            if (n == null) {
                group.selectToggle(o); // one of the two is always on
            } else {
                vm.chatProperty().set(n == chat);
            }
        });
        chat.disableProperty().bind(vm.chatAvailableProperty().not());
        HBox box = new HBox(0, text, chat);
        box.setId("prompt-mode");
        return box;
    }

    public TextArea promptArea() {
        return prompt;
    }
}
