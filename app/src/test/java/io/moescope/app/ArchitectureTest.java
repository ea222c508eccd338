package io.moescope.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.moescope.model.io.ModelLoadException;
import io.moescope.model.runtime.GenerationRequest;
import io.moescope.model.runtime.GenerationResult;
import io.moescope.model.runtime.Generator;
import io.moescope.model.runtime.InterventionComparison;
import io.moescope.model.runtime.LoadProgress;
import io.moescope.model.runtime.MoeModel;
import io.moescope.model.runtime.SamplingParams;
import io.moescope.model.runtime.SpeedBenchmark;
import io.moescope.model.runtime.TokenListener;
import io.moescope.model.runtime.WeightMode;

/**
 * The dependency arrows of docs/architecture.md, checked on the compiled classes of all three modules (the app's
 * test class path holds them all). Fully qualified names and lambdas count, unlike in an import grep.
 */
@AnalyzeClasses(packages = "io.moescope", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /**
     * What the app may use of the engine, explicitly: the trace contract, its public API types, the analyses over
     * traces, the configuration records, the tokenizer and the chat template (text to prompt ids), training, synthetic-checkpoint and recording-import entry points (the
     * CLI's commands), and these named classes of runtime and io. Never layers, tensors, the forward pass or loaders.
     */
    static final DescribedPredicate<JavaClass> ENGINE_API = resideInAnyPackage(
                    "io.moescope.model.trace..",
                    "io.moescope.model.api..",
                    "io.moescope.model.diagnosis..",
                    "io.moescope.model.config..",
                    "io.moescope.model.tokenizer..",
                    "io.moescope.model.train..",
                    "io.moescope.model.synth..",
                    "io.moescope.model.recording..",
                    "io.moescope.model.chat..")
            .or(belongToAnyOf(
                    MoeModel.class,
                    Generator.class,
                    GenerationRequest.class,
                    GenerationResult.class,
                    SamplingParams.class,
                    LoadProgress.class,
                    WeightMode.class,
                    InterventionComparison.class,
                    SpeedBenchmark.class,
                    TokenListener.class,
                    ModelLoadException.class))
            .as("the engine's API (trace, api, diagnosis, config, tokenizer, chat, train, synth, recording importers, "
                    + "runtime entry points, ModelLoadException)");

    @ArchTest
    static final ArchRule modelHasNoJavaFx = noClasses()
            .that()
            .resideInAPackage("io.moescope.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..", "org.controlsfx..", "eu.hansolo..")
            .because("the engine runs from a CLI or a test with no toolkit (style.md 4.1)");

    @ArchTest
    static final ArchRule vizHasNoEngine = noClasses()
            .that()
            .resideInAPackage("io.moescope.viz..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.moescope.model..")
            .because("viz draws neutral data; app is the only place that translates traces (style.md 4.1)");

    @ArchTest
    static final ArchRule baseUsesNoneOfOurModulesNorJavaFx = noClasses()
            .that()
            .resideInAPackage("io.moescope.base..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.moescope.model..", "io.moescope.viz..", "io.moescope.app..", "javafx..")
            .because("base is what model and viz share (AtomicFiles) so that neither needs the other");

    @ArchTest
    static final ArchRule vizDataAndColourHaveNoJavaFx = noClasses()
            .that()
            .resideInAnyPackage("io.moescope.viz.data..", "io.moescope.viz.color..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("javafx..")
            .because("snapshots and colour scales are built and tested on any thread, with no toolkit");

    @ArchTest
    static final ArchRule appReachesTheEngineOnlyThroughItsApi = noClasses()
            .that()
            .resideInAPackage("io.moescope.app..")
            .should()
            .dependOnClassesThat(resideInAPackage("io.moescope.model..").and(not(ENGINE_API)))
            .because("the trace is the seam between engine and app (docs/architecture.md)");

    @ArchTest
    static final ArchRule appPackagesHaveNoCycles =
            slices().matching("io.moescope.app.(*)..").should().beFreeOfCycles();
}
