package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PCAReconstructionTest {

    /** {@code x = A z + noise·e} with {@code z ~ N(0, I_rank)}, {@code A} fixed with columns of unequal scale. */
    static MutableDataset<Event> lowRank(int n, int d, int rank, double noise, long seed) {
        SplittableRandom fixed = new SplittableRandom(1234);
        double[][] a = new double[d][rank];
        for (int j = 0; j < d; j++) {
            for (int c = 0; c < rank; c++) {
                a[j][c] = fixed.nextGaussian() * (1 + c);
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(
                new SimpleDataSourceProvenance("low rank seed " + seed, factory), factory);
        String[] names = TestData.names(d);
        double[] z = new double[rank];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < rank; c++) {
                z[c] = rng.nextGaussian();
            }
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                double v = 3.0 + j; // non-zero means
                for (int c = 0; c < rank; c++) {
                    v += a[j][c] * z[c];
                }
                x[j] = v + noise * rng.nextGaussian();
            }
            data.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, x));
        }
        return data;
    }

    static Example<Event> example(double... x) {
        return new ArrayExample<>(new Event(Event.EventType.UNKNOWN), TestData.names(x.length), x);
    }

    @Test
    public void keepsTheSubspaceDimensionAndScoresOffSubspacePointsHigher() {
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.95, 0.2, 0.99).train(TestData.manifold(1000, 0,
                1L));
        assertEquals(2, model.numComponents());
        assertTrue(model.explainedVarianceRatio() >= 0.95, model.toString());
        assertEquals(8 * 2 + 2 * 8, model.numParameters());
        double[] ev = model.eigenvalues();
        for (int i = 1; i < ev.length; i++) {
            assertTrue(ev[i] <= ev[i - 1], Arrays.toString(ev));
        }
        MutableDataset<Event> test = TestData.manifold(300, 300, 2L);
        double[] normal = model.scores(TestData.normals(test));
        double[] anomalous = model.scores(TestData.anomalies(test));
        assertTrue(TestData.auc(normal, anomalous) > 0.99, "ROC-AUC " + TestData.auc(normal, anomalous));
        double medianNormal = Quantiles.quantile(normal, 0.5);
        double medianAnomalous = Quantiles.quantile(anomalous, 0.5);
        assertTrue(medianAnomalous > 50 * medianNormal, medianAnomalous + " vs " + medianNormal);
        // About 1% of fresh normal data is above the 0.99 threshold.
        long above = Arrays.stream(normal).filter(s -> s > model.threshold()).count();
        assertTrue(above < 15, above + " of 300 normal examples above the threshold");
        // predict() agrees with score() and the threshold; batched, single and matrix scoring agree.
        Example<Event> e = TestData.anomalies(test).get(0);
        Event out = model.predict(e).getOutput();
        assertEquals(model.score(e), out.getScore(), 0.0);
        assertEquals(Event.EventType.ANOMALOUS, out.getType());
        assertEquals(model.score(TestData.normals(test).get(7)), normal[7], 0.0);
        float[] matrix = FeatureMatrix.toMatrix(TestData.normals(test), model.getFeatureIDMap());
        float[] before = matrix.clone();
        double[] viaMatrix = new double[300];
        model.scoreMatrix(matrix, 300, viaMatrix);
        assertArrayEquals(normal, viaMatrix);
        assertArrayEquals(before, matrix);

        // A 3-dimensional subspace of 10 features.
        MutableDataset<Event> three = lowRank(600, 10, 3, 0.01, 3L);
        assertEquals(3, new PCAReconstructionTrainer(0.95, 0.1, 0.99).train(three).numComponents());
        // All the variance needs every component (the noise makes the data full rank); maxComponents caps k.
        assertEquals(10, new PCAReconstructionTrainer(1.0, 0.1, 0.99).train(three).numComponents());
        assertEquals(1, new PCAReconstructionTrainer(0.95, 1, 0.1, 0.99, 0.0).train(three).numComponents());
    }

    @Test
    public void scoreEqualsDirectComputationByOrthogonalIteration() {
        MutableDataset<Event> data = lowRank(500, 7, 2, 0.05, 4L);
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.95, 0.2, 0.99).train(data);
        assertEquals(2, model.numComponents());
        int d = 7;
        int fitRows = 400; // 500 − ⌊500 · 0.2⌋
        List<Example<Event>> all = TestData.normals(data);
        float[] z = FeatureMatrix.toMatrix(all.subList(0, fitRows), model.getFeatureIDMap());
        model.standardizer().applyInPlace(z, fitRows);
        double[][] c = new double[d][d];
        for (int r = 0; r < fitRows; r++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += (double) z[r * d + i] * z[r * d + j] / fitRows;
                }
            }
        }
        // Orthogonal (block power) iteration for the leading 2-dimensional invariant subspace.
        double[][] q = {{1, 0, 0, 0, 0, 0, 1}, {0, 1, 0, 1, 0, 0, 0}};
        for (int it = 0; it < 300; it++) {
            double[][] w = new double[2][d];
            for (int v = 0; v < 2; v++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        w[v][i] += c[i][j] * q[v][j];
                    }
                }
            }
            q = gramSchmidt(w);
        }
        for (Example<Event> e : List.of(all.get(450), all.get(3), example(9, -4, 2, 11, 0, 1, 30))) {
            float[] row = FeatureMatrix.toMatrix(List.of(e), model.getFeatureIDMap());
            model.standardizer().applyInPlace(row, 1);
            double[] res = new double[d];
            for (int j = 0; j < d; j++) {
                res[j] = row[j];
            }
            for (double[] v : q) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += v[j] * row[j];
                }
                for (int j = 0; j < d; j++) {
                    res[j] -= p * v[j];
                }
            }
            double expected = 0;
            for (double r : res) {
                expected += r * r;
            }
            expected /= d;
            double actual = model.score(e);
            assertEquals(expected, actual, 1e-5 * expected, "direct " + expected + ", model " + actual);
        }
    }

    private static double[][] gramSchmidt(double[][] w) {
        double[][] q = new double[w.length][];
        for (int v = 0; v < w.length; v++) {
            double[] x = w[v].clone();
            for (int u = 0; u < v; u++) {
                double p = 0;
                for (int j = 0; j < x.length; j++) {
                    p += q[u][j] * x[j];
                }
                for (int j = 0; j < x.length; j++) {
                    x[j] -= p * q[u][j];
                }
            }
            double norm = 0;
            for (double xv : x) {
                norm += xv * xv;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < x.length; j++) {
                x[j] /= norm;
            }
            q[v] = x;
        }
        return q;
    }

    @Test
    public void closedFormForTwoCorrelatedFeatures() {
        // Two standardised features with correlation ρ: eigenvectors (1, 1)/√2 (variance 1 + ρ) and (1, −1)/√2. With
        // ρ ≈ 0.995 one component explains 0.95, and the score is ((z1 − z2)/√2)² / 2 = (z1 − z2)² / 4.
        SplittableRandom rng = new SplittableRandom(5);
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance("2-d", factory), factory);
        for (int i = 0; i < 400; i++) {
            double t = rng.nextGaussian();
            data.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), TestData.names(2),
                    new double[]{10 + 2 * t + 0.1 * rng.nextGaussian(), -3 + 0.5 * t + 0.025 * rng.nextGaussian()}));
        }
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.95, 0.25, 0.99).train(data);
        assertEquals(1, model.numComponents());
        double[] v = model.components()[0];
        assertEquals(1 / Math.sqrt(2), Math.abs(v[0]), 1e-5);
        assertEquals(1 / Math.sqrt(2), Math.abs(v[1]), 1e-5);
        float[] mean = model.standardizer().mean();
        float[] scale = model.standardizer().scale();
        for (double[] x : new double[][]{{14, -4}, {6, -1}, {10, -3}, {20, -10}}) {
            double z1 = (x[0] - mean[0]) / scale[0];
            double z2 = (x[1] - mean[1]) / scale[1];
            double expected = (z1 - z2) * (z1 - z2) / 4;
            double actual = model.score(example(x));
            assertEquals(expected, actual, 1e-5 * expected, Arrays.toString(x));
        }
    }

    @Test
    public void degenerateInputs() {
        // One feature: the single component reconstructs everything.
        SplittableRandom rng = new SplittableRandom(11);
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> one = new MutableDataset<>(new SimpleDataSourceProvenance("1-d", factory), factory);
        MutableDataset<Event> constant = new MutableDataset<>(new SimpleDataSourceProvenance("c", factory), factory);
        for (int i = 0; i < 50; i++) {
            one.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), TestData.names(1),
                    new double[]{rng.nextGaussian()}));
            constant.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), TestData.names(3),
                    new double[]{1, 2, 3}));
        }
        PCAReconstructionModel m1 = new PCAReconstructionTrainer(0.95, 0.1, 0.99).train(one);
        assertEquals(1, m1.numComponents());
        assertEquals(0.0, m1.score(example(7.5)), 1e-12);
        // Every feature constant: nothing to learn, refused (docs/RELIABILITY.md).
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.95, 0.1, 0.99).train(constant));
        assertTrue(e.getMessage().contains("every one of the 3 features is constant"), e.getMessage());
    }

    @Test
    public void jacobiSolverAgreesWithTribuo() {
        SplittableRandom rng = new SplittableRandom(6);
        int d = 12;
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                a[i][j] = rng.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        a[3][3] += 5; // spread the spectrum
        PCAReconstructionTrainer.Eigen jacobi = PCAReconstructionTrainer.jacobiEigen(a);
        PCAReconstructionTrainer.Eigen sorted = PCAReconstructionTrainer.symmetricEigen(a);
        double[] tribuo = DenseMatrix.createDenseMatrix(a).eigenDecomposition().get().eigenvalues().toArray();
        double[] j = jacobi.values.clone();
        Arrays.sort(tribuo);
        Arrays.sort(j);
        assertArrayEquals(tribuo, j, 1e-10);
        for (PCAReconstructionTrainer.Eigen e : List.of(jacobi, sorted)) {
            for (int i = 0; i < d; i++) {
                double norm = 0;
                for (int r = 0; r < d; r++) {
                    double av = 0;
                    for (int c = 0; c < d; c++) {
                        av += a[r][c] * e.vectors[i][c];
                    }
                    assertEquals(e.values[i] * e.vectors[i][r], av, 1e-10);
                    norm += e.vectors[i][r] * e.vectors[i][r];
                }
                assertEquals(1.0, norm, 1e-12);
            }
        }
        for (int i = 1; i < d; i++) {
            assertTrue(sorted.values[i] <= sorted.values[i - 1]);
        }
    }

    @Test
    public void protobufRoundTripKeepsScoresAndProvenance(@TempDir Path dir) throws IOException {
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.9, 0.2, 0.95).train(TestData.manifold(300, 0,
                6L));
        MutableDataset<Event> test = TestData.manifold(50, 50, 7L);
        Model<Event> copy = Helpers.testModelProtoSerialization(model, Event.class, test);
        PCAReconstructionModel pca = (PCAReconstructionModel) copy;
        assertArrayEquals(model.scores(test), pca.scores(test));
        assertEquals(model.threshold(), pca.threshold(), 0.0);
        assertEquals(model.getProvenance(), pca.getProvenance());
        assertEquals(model.toString(), pca.toString());
        assertArrayEquals(model.eigenvalues(), pca.eigenvalues());

        Path file = dir.resolve("pca.tribuo");
        model.serializeToFile(file);
        PCAReconstructionModel loaded = ModelFiles.load(file, PCAReconstructionModel.class);
        assertArrayEquals(model.scores(test), loaded.scores(test));
        assertEquals(model.getProvenance(), loaded.getProvenance());
        assertEquals(model.numParameters(), loaded.numParameters());
        IOException wrongType = assertThrows(IOException.class, () -> ModelFiles.load(file, AutoencoderModel.class));
        assertTrue(wrongType.getMessage().contains("PCAReconstructionModel"), wrongType.getMessage());
    }

    @Test
    public void badSettingsAreClearErrors() {
        for (double bad : new double[]{0, -0.1, 1.0001, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new PCAReconstructionTrainer(bad, 0.1, 0.99));
            assertTrue(e.getMessage().contains("varianceFraction must be in (0, 1]"), e.getMessage());
        }
        IllegalArgumentException max = assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.9, -1, 0.1, 0.99, 0.0));
        assertTrue(max.getMessage().contains("maxComponents"), max.getMessage());
        IllegalArgumentException vf = assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.9, 1.0, 0.99));
        assertTrue(vf.getMessage().contains("validationFraction"), vf.getMessage());
        IllegalArgumentException tq = assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.9, 0.1, 1.5));
        assertTrue(tq.getMessage().contains("thresholdQuantile"), tq.getMessage());
        IllegalArgumentException ms = assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.9, 0, 0.1, 0.99, -1));
        assertTrue(ms.getMessage().contains("minScale"), ms.getMessage());
        MutableDataset<Event> mixed = TestData.manifold(100, 3, 8L);
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.9, 0.1, 0.99).train(mixed));
        assertTrue(labels.getMessage().contains("ANOMALOUS"), labels.getMessage());
        assertEquals(new PCAReconstructionTrainer(0.9, 0.1, 0.99).train(TestData.manifold(100, 0, 8L))
                        .scores(TestData.normals(mixed)).length, 100);
    }

    @Test
    public void trainingIsDeterministic() {
        MutableDataset<Event> data = TestData.manifold(400, 0, 9L);
        PCAReconstructionTrainer t = new PCAReconstructionTrainer(0.95, 0.1, 0.99);
        PCAReconstructionModel first = t.train(data);
        PCAReconstructionModel second = t.train(data);
        PCAReconstructionModel other = new PCAReconstructionTrainer(0.95, 0.1, 0.99).train(data);
        assertEquals(2, t.getInvocationCount());
        for (PCAReconstructionModel m : List.of(second, other)) {
            assertArrayEquals(first.eigenvalues(), m.eigenvalues());
            assertArrayEquals(first.components(), m.components());
            assertEquals(first.standardizer(), m.standardizer());
            assertEquals(first.threshold(), m.threshold(), 0.0);
            assertArrayEquals(first.scores(data), m.scores(data));
        }
    }

    /** The training invocation count recorded in a model's trainer provenance. */
    static String invocationCount(Model<Event> model) {
        TrainerProvenance tp = model.getProvenance().getTrainerProvenance();
        Provenance p = tp.getInstanceValues().get(TrainerProvenance.TRAIN_INVOCATION_COUNT);
        if (p == null) {
            p = tp.getConfiguredParameters().get(TrainerProvenance.TRAIN_INVOCATION_COUNT);
        }
        return String.valueOf(((PrimitiveProvenance<?>) p).getValue());
    }

    @Test
    public void provenanceAndConfiguration() {
        PCAReconstructionTrainer t = new PCAReconstructionTrainer(0.8, 3, 0.15, 0.9, 0.01)
                .withAnomalousLabels(AnomalousLabelPolicy.DROP);
        Helpers.testConfigurableRoundtrip(t);
        PCAReconstructionModel model = t.train(TestData.manifold(100, 4, 10L));
        Helpers.testProvenanceMarshalling(model.getProvenance());
        String prov = model.getProvenance().toString();
        assertTrue(prov.contains("varianceFraction") && prov.contains("maxComponents")
                && prov.contains("PCAReconstructionTrainer"), prov);
        assertEquals(PCAReconstructionModel.class.getName(), model.getProvenance().getClassName());
        assertEquals("0", invocationCount(model));
        assertEquals("1", invocationCount(t.train(TestData.manifold(100, 4, 10L))));
        assertTrue(t.toString().startsWith("PCAReconstructionTrainer(varianceFraction=0.8,maxComponents=3"),
                t.toString());
        assertTrue(model.toString().contains("components=" + model.numComponents()), model.toString());
    }

    /** The exported PCA detector (score and decision) against Java on the real SMD machine in the repository. */
    @Test
    public void onnxMatchesJavaOnRealData(@TempDir Path dir) throws Exception {
        Path smd = TestData.embeddedSmd();
        org.junit.jupiter.api.Assumptions.assumeTrue(smd != null, "embedded SMD data not found");
        MutableDataset<Event> train = TestData.smdRows(smd.resolve("train/machine-1-2.txt.gz"), 3000, null);
        int[] labels = java.nio.file.Files.readAllLines(smd.resolve("test_label/machine-1-2.txt")).stream()
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        MutableDataset<Event> test = TestData.smdRows(smd.resolve("test/machine-1-2.txt.gz"), 23694, labels);
        PCAReconstructionModel model = new PCAReconstructionTrainer(0.95, 0.1, 0.99).train(train);
        List<Example<Event>> sample = new java.util.ArrayList<>();
        int i = 0;
        for (Example<Event> e : test) {
            if (i++ % 50 == 0) {
                sample.add(e);
            }
        }
        Path file = dir.resolve("pca.onnx");
        model.saveONNXModel("io.github.tribuokd.test", 1, file);
        OnnxCheck.assertDetectorMatches(file, model, sample, "PCA reconstruction");
    }
}
