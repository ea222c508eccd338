package io.moescope.app.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moescope.app.teach.BalanceDemoViewModel.State;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The balancing demo in the whole window, headless: start, pause, resume, stop, close mid-run, the lesson. */
class BalanceFxTest extends WindowFxTest {

    @Start
    void start(Stage stage) {
        openInCheckout(stage);
    }

    private State state() {
        return explorer.balance.stateProperty().get();
    }

    private void waitFor(java.util.function.BooleanSupplier condition, int seconds) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition::getAsBoolean);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static boolean demoThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("moe-balance-demo") && t.isAlive());
    }

    private int slowest() throws Exception {
        return onFx(explorer.balance::slowest);
    }

    @Test
    void startPauseResumeAndStopFromTheButtons(FxRobot robot) throws Exception {
        javafx.scene.control.MenuBar bar = robot.lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class);
        assertTrue(
                bar.getMenus().stream()
                        .filter(m -> m.getText().equals("Teach"))
                        .flatMap(m -> m.getItems().stream())
                        .anyMatch(i -> "Load balancing".equals(i.getText())),
                "Teach → Load balancing");
        onFx(() -> {
            main.teach().loadBalancing();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(
                "tab-balance", main.tabs().getSelectionModel().getSelectedItem().getId());
        assertTrue(robot.lookup("#balance-pause").queryAs(Button.class).isDisabled(), "nothing to pause yet");
        robot.clickOn("#balance-start");
        waitFor(() -> state() == State.RUNNING, 120);
        assertTrue(robot.lookup("#balance-start").queryAs(Button.class).isDisabled(), "one run at a time");
        waitFor(
                () -> {
                    try {
                        return slowest() >= 3;
                    } catch (Exception e) {
                        return false;
                    }
                },
                200);
        assertTrue(
                robot.lookup("#balance-status").queryAs(Label.class).getText().startsWith("Training: step"));
        assertFalse(explorer.balanceView.ratioChart().getData().get(0).getData().isEmpty(), "max/mean is drawn");
        assertFalse(explorer.balanceView.heatmap(0).stackedProperty().get().isEmpty(), "the load heatmaps are drawn");

        robot.clickOn("#balance-pause");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(State.PAUSED, state());
        assertEquals(
                "Resume", robot.lookup("#balance-pause").queryAs(Button.class).getText());
        waitFor(explorer.balance::holding, 60); // the round in progress finishes first
        int held = slowest();
        Thread.sleep(3000);
        assertEquals(held, slowest(), "paused");

        robot.clickOn("#balance-pause");
        waitFor(
                () -> {
                    try {
                        return slowest() >= held + 2;
                    } catch (Exception e) {
                        return false;
                    }
                },
                200);
        assertEquals(State.RUNNING, state());
        assertEquals(
                "Pause", robot.lookup("#balance-pause").queryAs(Button.class).getText());

        robot.clickOn("#balance-stop");
        explorer.balance.ended().get(60, TimeUnit.SECONDS);
        waitFor(() -> state() == State.STOPPED, 30);
        waitFor(() -> !demoThreadAlive(), 10);
        assertTrue(
                robot.lookup("#balance-status").queryAs(Label.class).getText().startsWith("Stopped at step"));
        assertFalse(robot.lookup("#balance-start").queryAs(Button.class).isDisabled(), "it can start again");
        assertTrue(problems.isEmpty(), problems::toString);
    }

    @Test
    void closingTheWindowMidTrainingDoesNotHang() throws Exception {
        onFx(() -> {
            main.teach().loadBalancing();
            explorer.balance.start();
            return null;
        });
        waitFor(() -> state() == State.RUNNING, 120);
        long t0 = System.nanoTime();
        explorer.close();
        double secs = (System.nanoTime() - t0) / 1e9;
        assertTrue(secs < 10, "close took " + secs + " s");
        waitFor(() -> !demoThreadAlive(), 10);
    }

    @Test
    void playTheBalanceLesson(FxRobot robot) throws Exception {
        Path lesson = REPO.resolve("resources/lessons/why-balance-matters.json");
        assertTrue(onFx(() -> main.teach().openLesson(lesson)));
        explorer.lessons.pending().get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(
                "tab-balance", main.tabs().getSelectionModel().getSelectedItem().getId());
        assertEquals(State.REPLAY, state());
        assertEquals(60, explorer.balance.frameProperty().get().copies().get(0).size());
        assertTrue(
                robot.lookup("#lesson-progress").queryAs(Label.class).getText().endsWith("step 1 of 9"));
        assertTrue(explorer.engine.getModel() == null, "a balancing lesson opens no model");

        robot.clickOn("#lesson-next");
        robot.clickOn("#lesson-next");
        waitFor(() -> explorer.lessons.indexProperty().get() == 2, 10);
        assertTrue(state() == State.STARTING || state() == State.RUNNING, state().name());
        waitFor(() -> state() == State.RUNNING, 120);
        onFx(() -> explorer.lessons.go(6)).get(10, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(State.PAUSED, state(), "step 7 pauses");
        robot.clickOn("#lesson-next");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(State.RUNNING, state(), "step 8 resumes");
        robot.clickOn("#lesson-next");
        explorer.balance.ended().get(60, TimeUnit.SECONDS);
        waitFor(() -> state() == State.STOPPED, 30);
        assertTrue(robot.lookup("#lesson-next").queryAs(Button.class).isDisabled(), "the last step");
        assertTrue(problems.isEmpty(), problems::toString);
    }
}
