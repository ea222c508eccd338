package io.moescope.app.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moescope.app.TraceFixtures;
import io.moescope.app.session.Run;
import io.moescope.app.session.TraceStore;
import io.moescope.app.session.Workspace;
import io.moescope.model.trace.TokenEmitted;
import io.moescope.model.trace.TraceEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The gate view's SVG export with "All layers (stacked)": every layer, one titled block each. */
@ExtendWith(ApplicationExtension.class)
class GateSvgFxTest {

    @TempDir
    Path dir;

    @Test
    void allLayersStackedExportsEveryLayer() throws Exception {
        List<TraceEvent> events = TraceFixtures.events("deepseek_f32");
        long tokens = events.stream().filter(e -> e instanceof TokenEmitted).count();
        Path target = dir.resolve("gate.svg");
        WaitForAsyncUtils.asyncFx(() -> {
                    Workspace workspace = new Workspace(Runnable::run);
                    workspace.primaryProperty().set(new Run("fixture", new TraceStore(), null));
                    events.forEach(workspace.getPrimary().store()::accept);
                    GateViewModel gate = new GateViewModel(workspace);
                    GateView view = new GateView(gate, workspace, null); // no interventions: nothing is clicked
                    workspace.layerProperty().set(Workspace.ALL_LAYERS);
                    view.writeSvg(target);
                    return null;
                })
                .get(30, TimeUnit.SECONDS);

        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(target.toFile());
        NodeList blocks = svg.getElementsByTagName("g");
        assertEquals(3, blocks.getLength(), "one block per MoE layer");
        for (int b = 0; b < blocks.getLength(); b++) {
            Element block = (Element) blocks.item(b);
            assertEquals(
                    "layer " + (b + 1),
                    block.getElementsByTagName("text").item(0).getTextContent());
            NodeList rects = block.getElementsByTagName("rect");
            long cells = 0;
            for (int i = 0; i < rects.getLength(); i++) {
                cells += "none".equals(((Element) rects.item(i)).getAttribute("fill")) ? 0 : 1;
            }
            assertEquals(tokens * 16, cells, "tokens x experts cells in layer " + (b + 1));
        }
    }
}
