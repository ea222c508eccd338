package io.moescope.app.window;

import io.moescope.app.compare.CompareView;
import io.moescope.app.compare.CompareViewModel;
import io.moescope.app.dashboard.DashboardView;
import io.moescope.app.dashboard.DashboardViewModel;
import io.moescope.app.diagnosis.CorpusRunViewModel;
import io.moescope.app.diagnosis.DiagnosisView;
import io.moescope.app.diagnosis.DiagnosisViewModel;
import io.moescope.app.granularity.GranularityView;
import io.moescope.app.granularity.GranularityViewModel;
import io.moescope.app.inspect.InspectorView;
import io.moescope.app.inspect.InspectorViewModel;
import io.moescope.app.intervention.InterventionViewModel;
import io.moescope.app.load.LoadView;
import io.moescope.app.load.LoadViewModel;
import io.moescope.app.prompt.PromptView;
import io.moescope.app.prompt.PromptViewModel;
import io.moescope.app.routing.GateView;
import io.moescope.app.routing.GateViewModel;
import io.moescope.app.routing.SharedView;
import io.moescope.app.routing.SharedViewModel;
import io.moescope.app.routing.TranscriptView;
import io.moescope.app.routing.TranscriptViewModel;
import io.moescope.app.session.AppPaths;
import io.moescope.app.session.EngineService;
import io.moescope.app.session.EngineViewModel;
import io.moescope.app.session.Problems;
import io.moescope.app.session.RecentFiles;
import io.moescope.app.session.TraceFiles;
import io.moescope.app.session.Workspace;
import io.moescope.app.teach.BalanceDemoView;
import io.moescope.app.teach.BalanceDemoViewModel;
import io.moescope.app.teach.LessonPlayerViewModel;
import io.moescope.app.teach.LessonStage;
import io.moescope.app.teach.LessonView;
import io.moescope.app.teach.WalkthroughView;
import io.moescope.app.teach.WalkthroughViewModel;
import io.moescope.app.view.ChartView;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The composition root: one workspace, one engine thread, every view model and view. Build it on the FX thread
 * with {@code Platform::runLater} and a {@link io.moescope.viz.fx.PulseExecutor} (tests may pass any executor that
 * runs on the FX thread).
 */
public final class Explorer implements AutoCloseable {

    public final Workspace workspace;
    public final EngineService engineService;
    public final EngineViewModel engine;
    public final PromptViewModel prompt;
    public final InterventionViewModel interventions;
    public final GateViewModel gate;
    public final SharedViewModel shared;
    public final TranscriptViewModel transcript;
    public final LoadViewModel load;
    public final InspectorViewModel inspector;
    public final CompareViewModel compare;
    public final DashboardViewModel dashboard;
    public final DiagnosisViewModel diagnosis;
    public final CorpusRunViewModel corpusRun;
    public final WalkthroughViewModel walkthrough;
    public final LessonPlayerViewModel lessons;
    public final BalanceDemoViewModel balance;
    public final GranularityViewModel granularity;
    public final io.moescope.app.recording.LoadWindowsViewModel loadWindows;

    public final GateView gateView;
    public final LoadView loadView;
    public final SharedView sharedView;
    public final CompareView compareView;
    public final InspectorView inspectorView;
    public final TranscriptView transcriptView;
    public final PromptView promptView;
    public final DashboardView dashboardView;
    public final DiagnosisView diagnosisView;
    public final WalkthroughView walkthroughView;
    public final LessonView lessonView;
    public final BalanceDemoView balanceView;
    public final GranularityView granularityView;
    /** Selects a tab by its view's name; the main view sets it (lessons use it). */
    java.util.function.Consumer<String> selectView = name -> {};

    private final ExecutorService granularityThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "moe-granularity");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService diagnosisThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "moe-diagnosis");
        thread.setDaemon(true);
        thread.setPriority(Thread.NORM_PRIORITY - 1);
        return thread;
    });

    /** An explorer whose live views refresh through {@code ui} too (tests). */
    public Explorer(Executor ui, Problems problems, RecentFiles recent) {
        this(ui, ui, problems, recent);
    }

    /**
     * An explorer whose live views refresh through {@code frames} (the application passes a
     * {@link io.moescope.viz.fx.PulseExecutor}: one refresh per frame, inside the frame) and whose other FX work
     * (progress, results, errors) goes through {@code ui}.
     */
    public Explorer(Executor ui, Executor frames, Problems problems, RecentFiles recent) {
        this(ui, frames, problems, recent, TraceFiles.temporary());
    }

    /** As above, with each generation's trace recorded where {@code traceFiles} says (the window: recovery files). */
    public Explorer(Executor ui, Executor frames, Problems problems, RecentFiles recent, TraceFiles traceFiles) {
        engineService = new EngineService(traceFiles);
        // live refreshes through their own frame executor stay within a share of the FX thread's time, so a fast
        // generation keeps its cores (RefreshBudget), at most every LIVE_REFRESH_MS; with one executor for everything
        // (tests) they follow every signal
        workspace = frames == ui
                ? new Workspace(frames)
                : new Workspace(frames, Workspace.REFRESH_SHARE, Workspace.LIVE_REFRESH_MS);
        engine = new EngineViewModel(workspace, engineService, ui, problems, recent);
        prompt = new PromptViewModel(engine, problems);
        interventions = new InterventionViewModel(engine, problems);
        gate = new GateViewModel(workspace);
        shared = new SharedViewModel(workspace);
        transcript = new TranscriptViewModel(workspace);
        load = new LoadViewModel(workspace);
        inspector = new InspectorViewModel(workspace);
        compare = new CompareViewModel(workspace, inspector::nextTokens);
        dashboard = new DashboardViewModel(workspace, engine);
        diagnosis = new DiagnosisViewModel(workspace, ui, diagnosisThread, 250);
        corpusRun = new CorpusRunViewModel(engine, engineService, diagnosis, problems, ui);
        walkthrough = new WalkthroughViewModel(workspace, engineService, engine::getModel, ui);
        balance = new BalanceDemoViewModel(
                ui, problems, BalanceDemoViewModel.shippedDemo(io.moescope.model.train.DemoRecipe.STEPS));
        lessons = new LessonPlayerViewModel(
                new LessonStage(engine, prompt, walkthrough, name -> selectView.accept(name), balance), problems);

        gateView = new GateView(gate, workspace, interventions);
        loadView = new LoadView(load, workspace);
        loadWindows = new io.moescope.app.recording.LoadWindowsViewModel(workspace);
        loadView.setOverTime(new io.moescope.app.recording.LoadWindowsView(loadWindows, workspace).root());
        sharedView = new SharedView(shared, workspace);
        compareView = new CompareView(compare, interventions, prompt);
        inspectorView = new InspectorView(inspector, workspace);
        transcriptView = new TranscriptView(transcript);
        promptView = new PromptView(prompt);
        dashboardView = new DashboardView(dashboard);
        diagnosisView = new DiagnosisView(diagnosis, corpusRun, workspace);
        walkthroughView = new WalkthroughView(walkthrough, workspace);
        lessonView = new LessonView(lessons);
        balanceView = new BalanceDemoView(balance, workspace);
        Path embedded = AppPaths.home().resolve(AppPaths.EMBEDDED_MODEL); // the fine half; the coarse lies beside it
        granularity = new GranularityViewModel(
                embedded,
                GranularityViewModel.coarseTwin(embedded),
                granularityThread,
                ui,
                () -> workspace.getPrimary() == null
                        ? null
                        : workspace.getPrimary().prompt());
        workspace.primaryProperty().addListener((obs, o, n) -> granularity.promptChanged());
        granularityView = new GranularityView(granularity);
    }

    /** The views shown as tabs, in order. */
    public List<ChartView> tabs() {
        return List.of(
                gateView,
                loadView,
                sharedView,
                compareView,
                diagnosisView,
                walkthroughView,
                balanceView,
                granularityView);
    }

    /** Every exportable view, including the side panels. */
    public List<ChartView> allViews() {
        return List.of(
                gateView,
                loadView,
                sharedView,
                compareView,
                diagnosisView,
                walkthroughView,
                balanceView,
                granularityView,
                inspectorView,
                transcriptView);
    }

    @Override
    public void close() {
        balance.close();
        engineService.close();
        diagnosisThread.shutdownNow();
        granularityThread.shutdownNow();
        granularity.close();
        if (engine.getModel() != null) {
            engine.getModel().close();
        }
    }
}
