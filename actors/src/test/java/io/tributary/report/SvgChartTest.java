package io.tributary.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgChartTest {

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> byClass(Document doc, String tag, String cssClass) {
        NodeList nodes = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (cssClass.equals(e.getAttribute("class"))) {
                found.add(e);
            }
        }
        return found;
    }

    private static SvgChart learningCurves() {
        double[] x = new double[50];
        double[] a = new double[50];
        double[] aStd = new double[50];
        double[] b = new double[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 1000;
            a[i] = 475 * (1 - Math.exp(-i / 10.0));
            aStd[i] = 20;
            b[i] = i == 7 ? Double.NaN : 200 + i;
        }
        return new SvgChart("CartPole <returns> & \"friends\"")
                .xLabel("environment steps")
                .yLabel("episode return")
                .addSeries("PPO (5 seeds)", x, a, aStd)
                .addSeries("A2C", x, b)
                .targetLine(475, "target 475");
    }

    @Test
    void rendersWellFormedSvgWithTitleLegendSeriesAndTarget() throws Exception {
        String svg = learningCurves().render();
        Document doc = parse(svg);

        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("800", root.getAttribute("width"));
        assertEquals("450", root.getAttribute("height"));
        assertTrue(root.getTextContent().contains("CartPole <returns> & \"friends\""));
        assertEquals("CartPole <returns> & \"friends\"", byClass(doc, "text", "title").get(0).getTextContent());
        assertEquals("environment steps", byClass(doc, "text", "x-label").get(0).getTextContent());
        assertEquals("episode return", byClass(doc, "text", "y-label").get(0).getTextContent());

        List<Element> lines = byClass(doc, "path", "line");
        assertEquals(2, lines.size());
        assertEquals("PPO (5 seeds)", lines.get(0).getAttribute("data-series"));
        assertEquals("A2C", lines.get(1).getAttribute("data-series"));
        assertFalse(lines.get(0).getAttribute("stroke").equals(lines.get(1).getAttribute("stroke")),
                "series need distinct colours");
        assertEquals(1, byClass(doc, "path", "band").size(), "only the series with std gets a band");

        String legend = byClass(doc, "g", "legend").get(0).getTextContent();
        assertTrue(legend.contains("PPO (5 seeds)"), legend);
        assertTrue(legend.contains("A2C"), legend);

        List<Element> targets = byClass(doc, "line", "target-line");
        assertEquals(1, targets.size());
        assertFalse(targets.get(0).getAttribute("stroke-dasharray").isEmpty());
        assertTrue(byClass(doc, "g", "target").get(0).getTextContent().contains("target 475"));

        assertFalse(svg.contains("NaN"), "NaN points must be skipped, not written");
        assertFalse(svg.contains("Infinity"));
    }

    @Test
    void survivesEmptySinglePointAndAllNaNSeries() throws Exception {
        SvgChart chart = new SvgChart("edge cases")
                .addSeries("empty", List.of())
                .addSeries("single", List.of(new SvgChart.Point(3, 4)))
                .addSeries("all missing", List.of(new SvgChart.Point(Double.NaN, 1), new SvgChart.Point(2, Double.NaN)))
                .addSeries("partial std", List.of(new SvgChart.Point(1, 1, Double.NaN), new SvgChart.Point(2, 2, 0.5)));
        String svg = chart.render();
        Document doc = parse(svg);
        assertEquals(4, byClass(doc, "path", "line").size());
        assertTrue(svg.contains("<circle"), "a single point is drawn as a marker");
        assertFalse(svg.contains("NaN"));
        assertFalse(svg.contains("Infinity"));
        assertTrue(byClass(doc, "g", "legend").get(0).getTextContent().contains("empty (no data)"));
    }

    @Test
    void rendersAxesWithoutAnyData() throws Exception {
        Document doc = parse(new SvgChart("").render());
        assertEquals(1, byClass(doc, "text", "no-data").size());
        Document onlyTarget = parse(new SvgChart("t").targetLine(-3.5, null).render());
        assertTrue(byClass(onlyTarget, "g", "target").get(0).getTextContent().contains("target -3.5"));
    }

    @Test
    void escapesMarkupAndDropsCharactersXmlForbids() throws Exception {
        String name = "a<b>&'\"\u0001\u0007\uD800 😀";
        String svg = new SvgChart(name).xLabel(name).yLabel(name)
                .addSeries(name, new double[] {1, 2}, new double[] {1, 2}).targetLine(1.5, name).render();
        Document doc = parse(svg);
        assertEquals("a<b>&'\"\uFFFD\uFFFD\uFFFD 😀", byClass(doc, "text", "title").get(0).getTextContent());
    }

    @Test
    void targetLineWidensTheAxisRange() throws Exception {
        String svg = new SvgChart("low data").addSeries("s", new double[] {0, 1}, new double[] {10, 20})
                .targetLine(475, "target 475").render();
        Document doc = parse(svg);
        String ticks = byClass(doc, "g", "ticks").get(0).getTextContent();
        assertTrue(ticks.contains("500"), ticks);
    }

    @Test
    void writeCreatesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("charts/curve.svg");
        learningCurves().write(file);
        parse(Files.readString(file));
    }

    @Test
    void rejectsMismatchedArrays() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SvgChart("t").addSeries("s", new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("x=2, y=1"), e.getMessage());
    }

    @Test
    void niceTicksForTypicalRanges() {
        assertArrayEquals(new double[] {0, 100, 200, 300, 400, 500}, SvgChart.niceTicks(0, 475, 6));
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, SvgChart.niceTicks(0, 1, 6));
        assertArrayEquals(new double[] {0.3, 0.4, 0.5, 0.6, 0.7}, SvgChart.niceTicks(0.3, 0.7, 6));
        assertArrayEquals(new double[] {-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7}, SvgChart.niceTicks(-3, 7, 11));
        assertArrayEquals(new double[] {0, 200_000, 400_000, 600_000, 800_000, 1_000_000},
                SvgChart.niceTicks(0, 1e6, 6));
        assertArrayEquals(new double[] {-100, 0, 100, 200, 300, 400, 500, 600}, SvgChart.niceTicks(-25, 525, 9));
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, SvgChart.niceTicks(0, 0, 6));
        assertArrayEquals(new double[] {4.5, 4.6, 4.7, 4.8, 4.9, 5.0, 5.1, 5.2, 5.3, 5.4, 5.5},
                SvgChart.niceTicks(5, 5, 11));
        assertArrayEquals(SvgChart.niceTicks(0, 475, 6), SvgChart.niceTicks(475, 0, 6));
        assertArrayEquals(new double[] {-0.5, 0, 0.5}, SvgChart.niceTicks(-0.3, 0.4, 3));
        assertThrows(IllegalArgumentException.class, () -> SvgChart.niceTicks(0, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> SvgChart.niceTicks(0, Double.NaN, 6));
    }

    @Test
    void niceTicksAlwaysCoverTheRangeWithinTheLimit() {
        Random random = new Random(42);
        for (int trial = 0; trial < 2000; trial++) {
            double scale = Math.pow(10, random.nextInt(16) - 8);
            double a = (random.nextDouble() - 0.3) * scale;
            double b = a + random.nextDouble() * scale;
            int maxTicks = 3 + random.nextInt(10);
            double[] ticks = SvgChart.niceTicks(a, b, maxTicks);
            String context = "min=" + a + ", max=" + b + ", maxTicks=" + maxTicks;
            assertTrue(ticks.length >= 2 && ticks.length <= maxTicks, context + ", n=" + ticks.length);
            double step = ticks[1] - ticks[0];
            assertTrue(ticks[0] <= a + step * 1e-6 && ticks[ticks.length - 1] >= b - step * 1e-6, context);
            for (int i = 2; i < ticks.length; i++) {
                assertEquals(step, ticks[i] - ticks[i - 1], step * 1e-6, context);
            }
        }
    }

    @Test
    void tickLabelsShareOnePrecisionAndShortenLargeValues() {
        assertArrayEquals(new String[] {"0", "100", "200"}, SvgChart.tickLabels(new double[] {0, 100, 200}));
        assertArrayEquals(new String[] {"0.0", "0.5", "1.0"}, SvgChart.tickLabels(new double[] {0, 0.5, 1}));
        assertArrayEquals(new String[] {"0", "100k", "200k", "300k"},
                SvgChart.tickLabels(new double[] {0, 100_000, 200_000, 300_000}));
        assertArrayEquals(new String[] {"0", "0.5M", "1.0M"}, SvgChart.tickLabels(new double[] {0, 500_000, 1e6}));
    }
}
