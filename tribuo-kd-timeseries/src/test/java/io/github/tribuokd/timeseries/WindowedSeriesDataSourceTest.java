package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.tribuokd.anomaly.AnomalousLabelPolicy;
import io.github.tribuokd.anomaly.AutoencoderModel;
import io.github.tribuokd.anomaly.DenseAutoencoderTrainer;
import io.github.tribuokd.anomaly.PCAReconstructionModel;
import io.github.tribuokd.anomaly.PCAReconstructionTrainer;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowedSeriesDataSourceTest {

    /** The embedded SMD subset (machine-1-2), relative to this module's folder. */
    private static final Path SMD = Paths.get("..", "examples", "src", "main", "resources", "data", "SMD");

    @TempDir
    Path dir;

    /**
     * Writes a CSV of {@code rows} rows: a timestamp, three smooth correlated variables, a text column that must
     * not be read, and (when {@code labelled}) a label column with a few anomalous rows.
     */
    private Path writeCsv(String name, int rows, boolean labelled) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("time,a,b,host,c" + (labelled ? ",label" : "") + "\n");
        for (int t = 0; t < rows; t++) {
            double x = Math.sin(t * 0.1);
            double y = Math.cos(t * 0.07);
            sb.append(String.format(Locale.ROOT, "\"2024-01-01 00:%02d, UTC\",%.5f,%.5f,web-1,%.5f",
                    t % 60, x + 0.01 * rng.nextGaussian(), y, x + y + 0.01 * rng.nextGaussian()));
            if (labelled) {
                sb.append(',').append(t % 37 == 5 ? 1 : 0);
            }
            sb.append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb.toString());
        return file;
    }

    private static CsvSeriesSource csvSource(Path file, String label) {
        return new CsvSeriesSource(file, "time", label, List.of("a", "b", "c"), MissingValuePolicy.ERROR);
    }

    private static void assertSameExamples(Iterable<Example<Event>> expected, Iterable<Example<Event>> actual) {
        Iterator<Example<Event>> e = expected.iterator();
        Iterator<Example<Event>> a = actual.iterator();
        int w = 0;
        while (e.hasNext()) {
            assertTrue(a.hasNext(), "missing window " + w);
            Example<Event> x = e.next();
            Example<Event> y = a.next();
            assertEquals(x.getOutput().getType(), y.getOutput().getType(), "output of window " + w);
            assertEquals(x.size(), y.size(), "size of window " + w);
            Iterator<Feature> fx = x.iterator();
            Iterator<Feature> fy = y.iterator();
            while (fx.hasNext()) {
                Feature p = fx.next();
                Feature q = fy.next();
                assertEquals(p.getName(), q.getName(), "window " + w);
                assertEquals(p.getValue(), q.getValue(), "window " + w + " feature " + p.getName());
            }
            w++;
        }
        assertFalse(a.hasNext(), "extra windows after " + w);
    }

    @Test
    void sameWindowsAsSlidingWindows() throws IOException {
        Path file = writeCsv("labelled.csv", 120, true);
        CsvSeriesSource source = csvSource(file, "label");
        WindowedSeriesDataSource data = new WindowedSeriesDataSource(source, 7, 3);
        MultivariateSeries series = new CsvSeriesLoader("time", "label", List.of("a", "b", "c"), null)
                .load(file).series();
        MutableDataset<Event> expected = new SlidingWindows(7, 3).toDataset(series);
        assertEquals(expected.size(), data.numWindows());
        assertSameExamples(expected, data);
        assertSameExamples(expected, new MutableDataset<>(data));
        assertTrue(expected.getData().stream().anyMatch(x -> x.getOutput().getType() == Event.EventType.ANOMALOUS));

        assertEquals(7, data.windowLength());
        assertEquals(3, data.stride());
        assertEquals(List.of("a", "b", "c"), data.variableNames());
        assertEquals(series, data.series());
        assertSame(data.series(), data.series());
        assertEquals(0, data.firstStep());
        assertEquals(119, data.lastStep());
        assertEquals(new SlidingWindows(7, 3), data.slidingWindows());
        assertSame(source, data.seriesSource());
        assertEquals("t0.v0", new MutableDataset<>(data).getFeatureIDMap().get(0).getName());
    }

    @Test
    void rangeOfTheSeries() throws IOException {
        Path file = writeCsv("range.csv", 100, false);
        WindowedSeriesDataSource data = new WindowedSeriesDataSource(csvSource(file, null), 5, 2, 10, 59);
        MultivariateSeries full = csvSource(file, null).load();
        MultivariateSeries slice = full.slice(10, 60);
        assertEquals(slice, data.series());
        assertEquals(10, data.firstStep());
        assertEquals(59, data.lastStep());
        assertSameExamples(new SlidingWindows(5, 2).toDataset(slice), data);

        WindowedSeriesDataSource tail = new WindowedSeriesDataSource(csvSource(file, null), 5, 1, 90, -1);
        assertEquals(full.slice(90, 100), tail.series());
        assertEquals(6, tail.numWindows());
    }

    @Test
    void invalidSettings() throws IOException {
        Path file = writeCsv("small.csv", 20, false);
        CsvSeriesSource source = csvSource(file, null);
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 21, 1));
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 3, 1, -1, -1));
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 3, 1, 5, 20));
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 3, 1, 5, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WindowedSeriesDataSource(source, 5, 1, 10, 12));
        assertTrue(e.getMessage().contains("fewer than the window length 5"), e.getMessage());
        // Issue 23: a series too short for the window names its file, not only the series.
        e = assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(source, 21, 1));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WindowedSeriesDataSource(null, 5, 1));
    }

    @Test
    void badFileFailsAtConstruction() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "time,a,b,c\nx,1,2,3\ny,4,five,6\n");
        SeriesFormatException e = assertThrows(SeriesFormatException.class,
                () -> new WindowedSeriesDataSource(new CsvSeriesSource(file, "time", null, null, null), 1, 1));
        assertEquals(3, e.line());
        assertEquals(3, e.column());
    }

    /** Rebuilds a data source from its own provenance through OLCUT. */
    private static WindowedSeriesDataSource rebuild(WindowedSeriesDataSource data) {
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(data.getProvenance()));
        List<WindowedSeriesDataSource> all = cm.lookupAll(WindowedSeriesDataSource.class);
        assertEquals(1, all.size());
        return all.get(0);
    }

    @Test
    void provenanceMarshallingAndConfigurableRoundtrip() throws IOException {
        Path file = writeCsv("prov.csv", 60, true);
        WindowedSeriesDataSource data = new WindowedSeriesDataSource(csvSource(file, "label"), 4, 2, 3, 50);
        Helpers.testProvenanceMarshalling(data.getProvenance());
        Helpers.testProvenanceMarshalling(new MutableDataset<>(data).getProvenance());
        WindowedSeriesDataSource rebuilt = rebuild(data);
        assertEquals(((WindowedSeriesDataSourceProvenance) data.getProvenance()).getConfiguredParameters(),
                ((WindowedSeriesDataSourceProvenance) rebuilt.getProvenance()).getConfiguredParameters());
        assertSameExamples(data, rebuilt);
        Path plain = dir.resolve("plain.csv");
        Files.writeString(plain, "a,b\n1,2\n3,\n");
        CsvSeriesSource defaults = new CsvSeriesSource(plain, null, null, null, MissingValuePolicy.ZERO);
        defaults.load();
        Helpers.testConfigurableRoundtrip(defaults);
        assertEquals(64, ((SeriesSourceProvenance) defaults.getProvenance()).fileHash().length());
        Helpers.testProvenanceMarshalling(defaults.getProvenance());
        WindowedSeriesDataSourceProvenance p = (WindowedSeriesDataSourceProvenance) data.getProvenance();
        assertEquals(data.numWindows(), p.numWindows());
        assertEquals("prov[3:51]", p.seriesName());
    }

    /**
     * The acceptance test of the data source: a model's provenance rebuilds the data source and the trainer through
     * OLCUT, and retraining on the rebuilt windows gives a model with identical scores.
     */
    @Test
    void retrainFromModelProvenance() throws Exception {
        Path file = writeCsv("train.csv", 300, false);
        WindowedSeriesDataSource data = new WindowedSeriesDataSource(
                new CsvSeriesSource(file, "time", null, List.of("a", "b", "c"), MissingValuePolicy.FORWARD_FILL),
                8, 2, 0, 249);
        PCAReconstructionTrainer trainer = new PCAReconstructionTrainer(0.9, 2, 0.2, 0.95, 0.0);
        PCAReconstructionModel model = trainer.train(new MutableDataset<>(data));

        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        List<WindowedSeriesDataSource> sources = cm.lookupAll(WindowedSeriesDataSource.class);
        List<PCAReconstructionTrainer> trainers = cm.lookupAll(PCAReconstructionTrainer.class);
        assertEquals(1, sources.size());
        assertEquals(1, trainers.size());
        WindowedSeriesDataSource rebuilt = sources.get(0);
        assertNotSame(data, rebuilt);
        assertEquals(8, rebuilt.windowLength());
        assertEquals(2, rebuilt.stride());
        assertEquals(249, rebuilt.lastStep());
        assertEquals(List.of("a", "b", "c"), rebuilt.variableNames());
        CsvSeriesSource rebuiltSource = (CsvSeriesSource) rebuilt.seriesSource();
        assertEquals(MissingValuePolicy.FORWARD_FILL, rebuiltSource.loader().missingValues());
        assertEquals("time", rebuiltSource.loader().timeColumn());
        assertEquals(data.series(), rebuilt.series());

        PCAReconstructionModel again = trainers.get(0).train(new MutableDataset<>(rebuilt));
        WindowedSeriesDataSource test = new WindowedSeriesDataSource(new CsvSeriesSource(file, "time", null,
                List.of("a", "b", "c"), MissingValuePolicy.FORWARD_FILL), 8, 1, 200, -1);
        List<Example<Event>> examples = new ArrayList<>();
        test.forEach(examples::add);
        double[] expected = model.scores(examples);
        double[] actual = again.scores(examples);
        assertEquals(test.numWindows(), expected.length);
        assertArrayEquals(expected, actual);
        assertEquals(model.getProvenance().getTrainerProvenance(), again.getProvenance().getTrainerProvenance());
    }

    /** The same with a seeded neural trainer on labelled windows (ANOMALOUS windows dropped by the trainer). */
    @Test
    void retrainDenseAutoencoderFromModelProvenance() throws Exception {
        Path file = writeCsv("labelled-train.csv", 200, true);
        WindowedSeriesDataSource data = new WindowedSeriesDataSource(csvSource(file, "label"), 4, 1);
        DenseAutoencoderTrainer trainer = new DenseAutoencoderTrainer(new int[]{6, 3}, Activation.TANH, 3, 16,
                new AdamOptimiser(0.01), 42L, 0.2, 0.99).withAnomalousLabels(AnomalousLabelPolicy.DROP);
        AutoencoderModel model = trainer.train(new MutableDataset<>(data));

        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(model.getProvenance()));
        WindowedSeriesDataSource rebuilt = cm.lookupAll(WindowedSeriesDataSource.class).get(0);
        DenseAutoencoderTrainer rebuiltTrainer = cm.lookupAll(DenseAutoencoderTrainer.class).get(0);
        AutoencoderModel again = rebuiltTrainer.train(new MutableDataset<>(rebuilt));

        List<Example<Event>> examples = new ArrayList<>();
        rebuilt.forEach(examples::add);
        assertArrayEquals(model.scores(examples), again.scores(examples));
    }

    /** The property names users write in an OLCUT configuration file. */
    @Test
    void configuredFromXml() throws IOException {
        Path csv = writeCsv("xml.csv", 80, true);
        String xml = String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<config>",
                "  <component name=\"csv\" type=\"io.github.tribuokd.timeseries.CsvSeriesSource\">",
                "    <property name=\"path\" value=\"" + csv + "\"/>",
                "    <property name=\"timeColumn\" value=\"time\"/>",
                "    <property name=\"labelColumn\" value=\"label\"/>",
                "    <propertylist name=\"variables\"><item>c</item><item>a</item></propertylist>",
                "    <property name=\"missingValues\" value=\"ZERO\"/>",
                "  </component>",
                "  <component name=\"windows\" type=\"io.github.tribuokd.timeseries.WindowedSeriesDataSource\">",
                "    <property name=\"series\" value=\"csv\"/>",
                "    <property name=\"windowLength\" value=\"6\"/>",
                "    <property name=\"stride\" value=\"2\"/>",
                "    <property name=\"firstStep\" value=\"4\"/>",
                "    <property name=\"lastStep\" value=\"70\"/>",
                "  </component>",
                "  <component name=\"smd\" type=\"io.github.tribuokd.timeseries.SmdSeriesSource\">",
                "    <property name=\"directory\" value=\"" + SMD.toAbsolutePath().normalize() + "\"/>",
                "    <property name=\"entity\" value=\"machine-1-2\"/>",
                "    <property name=\"part\" value=\"TEST\"/>",
                "  </component>",
                "</config>");
        Path config = dir.resolve("config.xml");
        Files.writeString(config, xml);
        ConfigurationManager cm = new ConfigurationManager(config.toString());
        WindowedSeriesDataSource data = (WindowedSeriesDataSource) cm.lookup("windows");
        assertEquals(List.of("c", "a"), data.variableNames());
        assertEquals(4, data.firstStep());
        assertEquals(70, data.lastStep());
        MultivariateSeries expected = new CsvSeriesLoader("time", "label", List.of("c", "a"), MissingValuePolicy.ZERO)
                .load(csv).series().slice(4, 71);
        assertSameExamples(new SlidingWindows(6, 2).toDataset(expected), data);
        SmdSeriesSource smd = (SmdSeriesSource) cm.lookup("smd");
        assertEquals(SmdSeriesSource.Part.TEST, smd.part());
        assertTrue(smd.load().hasLabels());
    }

    @Test
    void smdSourceMatchesSmdLoader() throws IOException {
        SmdEntity entity = SmdLoader.load(SMD, "machine-1-2");
        SmdSeriesSource train = new SmdSeriesSource(SMD, "machine-1-2", SmdSeriesSource.Part.TRAIN);
        SmdSeriesSource test = new SmdSeriesSource(SMD, "machine-1-2", SmdSeriesSource.Part.TEST);
        assertEquals(entity.train(), train.load());
        assertEquals(entity.test(), test.load());
        assertTrue(test.load().hasLabels());
        assertEquals(38, train.variableNames().size());
        assertEquals("v00", train.variableNames().get(0));
        assertEquals("v37", train.variableNames().get(37));

        WindowedSeriesDataSource data = new WindowedSeriesDataSource(test, 10, 5, 0, 999);
        assertSameExamples(new SlidingWindows(10, 5).toDataset(entity.test().slice(0, 1000)), data);
        // Provenance records paths absolute and normalised, so the round trip is exact for such a path.
        Helpers.testConfigurableRoundtrip(new SmdSeriesSource(SMD.toAbsolutePath().normalize(), "machine-1-2",
                SmdSeriesSource.Part.TEST));
        assertSameExamples(data, rebuild(data));
        Helpers.testProvenanceMarshalling(data.getProvenance());
        assertThrows(IllegalArgumentException.class, () -> new SmdSeriesSource(SMD, "../x", SmdSeriesSource.Part.TEST));
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> new SmdSeriesSource(SMD, "machine-9-9", SmdSeriesSource.Part.TRAIN).load());
    }

    @Test
    void generatedVariableNames() {
        assertEquals(List.of("v0", "v1"), SmdSeriesSource.variableNames(2));
        assertEquals("v09", SmdSeriesSource.variableNames(11).get(9));
        assertEquals(List.of("v0"), SmdSeriesSource.variableNames(1));
    }
}
