package io.github.tribuokd.anomaly;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class KNearestWindowTest {

    static MutableDataset<Event> dataset(List<double[]> rows) {
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance("rows", factory), factory);
        for (double[] x : rows) {
            data.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), TestData.names(x.length), x));
        }
        return data;
    }

    static List<double[]> gaussian(int n, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = (j + 1) * rng.nextGaussian() + j;
            }
            rows.add(x);
        }
        return rows;
    }

    /** The k-th smallest Euclidean distance from the standardised example to the model's reference rows, in double. */
    static double bruteForce(KNearestWindowModel model, Example<Event> e) {
        int d = model.getFeatureIDMap().size();
        float[] z = FeatureMatrix.toMatrix(List.of(e), model.getFeatureIDMap());
        model.standardizer().applyInPlace(z, 1);
        float[] ref = model.referenceRows();
        int m = model.numReferenceRows();
        double[] dist = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                double diff = (double) z[j] - ref[i * d + j];
                s += diff * diff;
            }
            dist[i] = s;
        }
        Arrays.sort(dist);
        return Math.sqrt(dist[model.k() - 1]);
    }

    static void assertMatchesBruteForce(KNearestWindowModel model, List<Example<Event>> queries) {
        double[] batched = model.scores(queries);
        for (int q = 0; q < queries.size(); q++) {
            double expected = bruteForce(model, queries.get(q));
            assertEquals(expected, batched[q], 1e-4 * expected, "query " + q);
            if (expected == 0) {
                assertEquals(0.0, batched[q], 0.0, "query " + q);
            }
        }
        assertEquals(batched[queries.size() - 1], model.score(queries.get(queries.size() - 1)), 0.0);
    }

    static List<Example<Event>> examples(List<double[]> rows) {
        List<Example<Event>> out = new ArrayList<>();
        for (Example<Event> e : dataset(rows)) {
            out.add(e);
        }
        return out;
    }

    @Test
    public void scoreEqualsBruteForceOnRandomData() {
        MutableDataset<Event> train = dataset(gaussian(500, 6, 1L));
        KNearestWindowModel model = new KNearestWindowTrainer(5, 4000, 0.2, 0.99).train(train);
        assertEquals(400, model.numReferenceRows());
        assertEquals(5, model.k());
        assertEquals(400 * 6 + 2 * 6, model.numParameters());
        // All 400 fitting rows are the reference, standardised.
        float[] fit = FeatureMatrix.toMatrix(TestData.normals(train).subList(0, 400), model.getFeatureIDMap());
        model.standardizer().applyInPlace(fit, 400);
        assertArrayEquals(fit, model.referenceRows());
        // Fresh rows and training rows (each its own nearest neighbour), more than one scoring batch.
        List<Example<Event>> queries = examples(gaussian(300, 6, 2L));
        queries.addAll(TestData.normals(train));
        assertMatchesBruteForce(model, queries);
        for (int k : new int[]{1, 2, 17}) {
            assertMatchesBruteForce(new KNearestWindowTrainer(k, 4000, 0.2, 0.99).train(train), queries);
        }
    }

    @Test
    public void tiesAndDuplicatesMatchBruteForce() {
        // A small integer grid (many equal distances), each point stored three times, plus a far-away point stored
        // five times: near that point the expansion ‖a‖² + ‖b‖² − 2a·b cancels badly.
        List<double[]> rows = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            for (int x = 0; x < 6; x++) {
                for (int y = 0; y < 6; y++) {
                    rows.add(new double[]{x, y, (x + y) % 3});
                }
            }
        }
        for (int i = 0; i < 5; i++) {
            rows.add(new double[]{400, -300, 250});
        }
        rows.addAll(gaussian(20, 3, 3L)); // the calibration tail
        MutableDataset<Event> train = dataset(rows);
        List<Example<Event>> queries = examples(rows);
        queries.addAll(examples(List.of(new double[]{2.5, 2.5, 1}, new double[]{400, -300, 250.001},
                new double[]{-7, 3, 0})));
        double validation = 20.5 / rows.size(); // a tail of exactly 20 rows
        for (int k : new int[]{1, 3, 4, 5, 6, 10}) {
            KNearestWindowModel model = new KNearestWindowTrainer(k, 4000, validation, 0.9).train(train);
            assertEquals(3 * 36 + 5, model.numReferenceRows());
            assertMatchesBruteForce(model, queries);
            Example<Event> far = queries.get(3 * 36);
            double s = model.score(far);
            if (k <= 5) {
                assertEquals(0.0, s, 0.0, "k = " + k); // five exact copies: distance 0, not rounding noise
            } else {
                assertTrue(s > 1, "k = " + k + ": " + s);
            }
            if (k <= 3) {
                assertEquals(0.0, model.score(queries.get(7)), 0.0, "k = " + k);
            }
        }
    }

    @Test
    public void referenceRowsAreEvenlySpaced() {
        assertArrayEquals(new int[]{0, 3, 6}, KNearestWindowTrainer.referenceIndices(10, 3));
        assertArrayEquals(new int[]{0, 1, 2, 3}, KNearestWindowTrainer.referenceIndices(4, 10));
        MutableDataset<Event> train = dataset(gaussian(1100, 4, 4L));
        KNearestWindowModel model = new KNearestWindowTrainer(3, 300, 0.1, 0.99).train(train);
        assertEquals(300, model.numReferenceRows());
        assertEquals(300 * 4 + 8, model.numParameters());
        int fitRows = 990;
        float[] fit = FeatureMatrix.toMatrix(TestData.normals(train).subList(0, fitRows), model.getFeatureIDMap());
        model.standardizer().applyInPlace(fit, fitRows);
        float[] ref = model.referenceRows();
        for (int i = 0; i < 300; i++) {
            int index = (int) ((long) i * fitRows / 300);
            assertArrayEquals(Arrays.copyOfRange(fit, index * 4, index * 4 + 4),
                    Arrays.copyOfRange(ref, i * 4, i * 4 + 4), "reference row " + i);
        }
        assertMatchesBruteForce(model, examples(gaussian(100, 4, 5L)));
    }

    @Test
    public void selectionFindsOrderStatistics() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(60);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = trial % 2 == 0 ? rng.nextInt(4) : rng.nextGaussian();
            }
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            int index = rng.nextInt(n);
            assertEquals(sorted[index], KNearestWindowModel.select(a.clone(), n, index), 0.0);
        }
    }

    @Test
    public void anomaliesScoreHigher() {
        KNearestWindowModel model = new KNearestWindowTrainer(5, 4000, 0.2, 0.95).train(TestData.manifold(800, 0,
                7L));
        MutableDataset<Event> test = TestData.manifold(200, 200, 8L);
        double[] normal = model.scores(TestData.normals(test));
        double[] anomalous = model.scores(TestData.anomalies(test));
        assertTrue(TestData.auc(normal, anomalous) > 0.95, "ROC-AUC " + TestData.auc(normal, anomalous));
        Example<Event> e = TestData.anomalies(test).get(0);
        Event out = model.predict(e).getOutput();
        assertEquals(model.score(e), out.getScore(), 0.0);
        assertEquals(out.getScore() > model.threshold() ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED,
                out.getType());
        float[] matrix = FeatureMatrix.toMatrix(TestData.normals(test), model.getFeatureIDMap());
        double[] viaMatrix = new double[200];
        model.scoreMatrix(matrix, 200, viaMatrix);
        assertArrayEquals(normal, viaMatrix);
    }

    @Test
    public void protobufRoundTripKeepsScoresAndProvenance(@TempDir Path dir) throws IOException {
        KNearestWindowModel model = new KNearestWindowTrainer(4, 150, 0.2, 0.95).train(TestData.manifold(300, 0, 9L));
        MutableDataset<Event> test = TestData.manifold(50, 50, 10L);
        Model<Event> copy = Helpers.testModelProtoSerialization(model, Event.class, test);
        KNearestWindowModel knn = (KNearestWindowModel) copy;
        assertArrayEquals(model.scores(test), knn.scores(test));
        assertEquals(model.threshold(), knn.threshold(), 0.0);
        assertEquals(model.getProvenance(), knn.getProvenance());
        assertEquals(model.toString(), knn.toString());
        assertArrayEquals(model.referenceRows(), knn.referenceRows());

        Path file = dir.resolve("knn.tribuo");
        model.serializeToFile(file);
        KNearestWindowModel loaded = ModelFiles.load(file, KNearestWindowModel.class);
        assertArrayEquals(model.scores(test), loaded.scores(test));
        assertEquals(model.getProvenance(), loaded.getProvenance());
        assertEquals(model.numParameters(), loaded.numParameters());
    }

    @Test
    public void badSettingsAreClearErrors() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new KNearestWindowTrainer(0, 100, 0.1, 0.99));
        assertTrue(zero.getMessage().contains("k must be at least 1"), zero.getMessage());
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
                () -> new KNearestWindowTrainer(5, 0, 0.1, 0.99));
        assertTrue(max.getMessage().contains("maxReference"), max.getMessage());
        IllegalArgumentException kMax = assertThrows(IllegalArgumentException.class,
                () -> new KNearestWindowTrainer(8, 7, 0.1, 0.99));
        assertTrue(kMax.getMessage().contains("k = 8 exceeds maxReference = 7"), kMax.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KNearestWindowTrainer(5, 100, -0.1, 0.99));
        assertThrows(IllegalArgumentException.class, () -> new KNearestWindowTrainer(5, 100, 0.1, -0.5));
        assertThrows(IllegalArgumentException.class, () -> new KNearestWindowTrainer(5, 100, 0.1, 0.99, Double.NaN));
        // 10 examples, 5 in the calibration tail: fewer fitting rows than any trainer accepts.
        MutableDataset<Event> tiny = dataset(gaussian(10, 3, 11L));
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> new KNearestWindowTrainer(5, 100, 0.5, 0.99).train(tiny));
        assertTrue(few.getMessage().contains("leave 5 for fitting") && few.getMessage().contains("at least 20"),
                few.getMessage());
        // 25 examples, 5 in the calibration tail: 20 reference rows for k = 21.
        MutableDataset<Event> small = dataset(gaussian(25, 3, 11L));
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> new KNearestWindowTrainer(21, 100, 0.2, 0.99).train(small));
        assertTrue(rows.getMessage().contains("k = 21 exceeds the 20 reference rows"), rows.getMessage());
        assertEquals(20, new KNearestWindowTrainer(20, 100, 0.2, 0.99).train(small).numReferenceRows());
        MutableDataset<Event> mixed = TestData.manifold(50, 2, 12L);
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> new KNearestWindowTrainer(5, 100, 0.1, 0.99).train(mixed));
        assertTrue(labels.getMessage().contains("ANOMALOUS"), labels.getMessage());
    }

    @Test
    public void trainingIsDeterministic() {
        MutableDataset<Event> data = TestData.manifold(500, 0, 13L);
        KNearestWindowTrainer t = new KNearestWindowTrainer(5, 200, 0.1, 0.99);
        KNearestWindowModel first = t.train(data);
        KNearestWindowModel second = t.train(data);
        KNearestWindowModel other = new KNearestWindowTrainer(5, 200, 0.1, 0.99).train(data);
        assertEquals(2, t.getInvocationCount());
        for (KNearestWindowModel m : List.of(second, other)) {
            assertArrayEquals(first.referenceRows(), m.referenceRows());
            assertEquals(first.standardizer(), m.standardizer());
            assertEquals(first.threshold(), m.threshold(), 0.0);
            assertArrayEquals(first.scores(data), m.scores(data));
        }
    }

    @Test
    public void provenanceAndConfiguration() {
        KNearestWindowTrainer t = new KNearestWindowTrainer(3, 500, 0.15, 0.9, 0.01)
                .withAnomalousLabels(AnomalousLabelPolicy.DROP);
        Helpers.testConfigurableRoundtrip(t);
        KNearestWindowModel model = t.train(TestData.manifold(100, 4, 14L));
        Helpers.testProvenanceMarshalling(model.getProvenance());
        String prov = model.getProvenance().toString();
        assertTrue(prov.contains("maxReference") && prov.contains("KNearestWindowTrainer"), prov);
        assertEquals(KNearestWindowModel.class.getName(), model.getProvenance().getClassName());
        assertEquals("0", PCAReconstructionTest.invocationCount(model));
        assertEquals("1", PCAReconstructionTest.invocationCount(t.train(TestData.manifold(100, 4, 14L))));
        assertTrue(t.toString().startsWith("KNearestWindowTrainer(k=3,maxReference=500"), t.toString());
        assertTrue(model.toString().contains("referenceRows=" + model.numReferenceRows()), model.toString());
    }

    /** The exported k-NN detector (score and decision) against Java on the real SMD machine in the repository. */
    @org.junit.jupiter.api.Test
    public void onnxMatchesJavaOnRealData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path smd = TestData.embeddedSmd();
        org.junit.jupiter.api.Assumptions.assumeTrue(smd != null, "embedded SMD data not found");
        MutableDataset<Event> train = TestData.smdRows(smd.resolve("train/machine-1-2.txt.gz"), 3000, null);
        int[] labels = java.nio.file.Files.readAllLines(smd.resolve("test_label/machine-1-2.txt")).stream()
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        MutableDataset<Event> test = TestData.smdRows(smd.resolve("test/machine-1-2.txt.gz"), 23694, labels);
        KNearestWindowModel model = new KNearestWindowTrainer(5, 1000, 0.1, 0.99).train(train);
        java.util.List<org.tribuo.Example<Event>> sample = new java.util.ArrayList<>();
        int i = 0;
        for (org.tribuo.Example<Event> e : test) {
            if (i++ % 50 == 0) {
                sample.add(e);
            }
        }
        java.nio.file.Path file = dir.resolve("knn.onnx");
        model.saveONNXModel("io.github.tribuokd.test", 1, file);
        OnnxCheck.assertDetectorMatches(file, model, sample, "k nearest windows");
    }
}
