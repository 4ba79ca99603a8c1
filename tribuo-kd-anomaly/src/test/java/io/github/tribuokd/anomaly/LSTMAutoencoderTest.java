package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class LSTMAutoencoderTest {

    static final int STEPS = 12, VARS = 3;

    static String[] names() {
        String[] n = new String[STEPS * VARS];
        for (int t = 0; t < STEPS; t++) {
            for (int v = 0; v < VARS; v++) {
                n[t * VARS + v] = String.format("t%02d.v%d", t, v);
            }
        }
        return n;
    }

    /** Windows of three phase-locked sines; anomalous windows get a level shift on one variable for 4 steps. */
    static MutableDataset<Event> windows(int normal, int anomalous, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        AnomalyFactory f = new AnomalyFactory();
        MutableDataset<Event> d = new MutableDataset<>(new SimpleDataSourceProvenance("sines " + seed, f), f);
        String[] names = names();
        for (int i = 0; i < normal + anomalous; i++) {
            boolean anomaly = i >= normal;
            double phase = rng.nextDouble() * 6.28;
            double[] x = new double[STEPS * VARS];
            int shiftAt = rng.nextInt(STEPS - 4);
            for (int t = 0; t < STEPS; t++) {
                for (int v = 0; v < VARS; v++) {
                    double value = Math.sin(phase + 0.5 * t + v) + 0.05 * rng.nextGaussian();
                    if (anomaly && v == 1 && t >= shiftAt && t < shiftAt + 4) {
                        value += 2.5;
                    }
                    x[t * VARS + v] = value;
                }
            }
            d.add(new ArrayExample<>(new Event(anomaly ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED),
                    names, x));
        }
        return d;
    }

    static LSTMAutoencoderTrainer trainer(long seed) {
        return new LSTMAutoencoderTrainer(16, 12, 16, new AdamOptimiser(5e-3), seed, 0.1, 0.95);
    }

    @Test
    public void detectsAnomalousWindowsAndExplainsItsScore() {
        LSTMAutoencoderModel model = trainer(1).train(windows(400, 0, 1L));
        assertEquals(STEPS, model.windowLength());
        assertEquals(VARS, model.variables());
        assertEquals(12, model.trainingLoss().length);
        assertTrue(model.trainingLoss()[11] < model.trainingLoss()[0] / 2, "learning curve must fall");
        MutableDataset<Event> test = windows(150, 150, 2L);
        double[] normal = model.scores(TestData.normals(test));
        double[] anomalous = model.scores(TestData.anomalies(test));
        double auc = TestData.auc(normal, anomalous);
        assertTrue(auc > 0.9, "ROC-AUC " + auc);
        // The score is the mean of the squared per-point errors of errorVectors.
        List<Example<Event>> few = TestData.anomalies(test).subList(0, 5);
        float[] raw = FeatureMatrix.toMatrix(few, model.getFeatureIDMap());
        float[] errors = new float[raw.length];
        model.errorVectors(raw, 5, errors);
        double[] scores = model.scores(few);
        for (int i = 0; i < 5; i++) {
            double sum = 0;
            for (int j = 0; j < STEPS * VARS; j++) {
                sum += (double) errors[i * STEPS * VARS + j] * errors[i * STEPS * VARS + j];
            }
            assertEquals(scores[i], sum / (STEPS * VARS), 1e-6 * Math.max(1, scores[i]));
        }
    }

    @Test
    public void protobufProvenanceAndReproducibility() {
        MutableDataset<Event> train = windows(120, 0, 3L);
        LSTMAutoencoderTrainer t = new LSTMAutoencoderTrainer(8, 3, 16, new AdamOptimiser(5e-3), 4L, 0.1, 0.95);
        LSTMAutoencoderModel first = t.train(train);
        MutableDataset<Event> test = windows(20, 20, 5L);
        Model<Event> copy = Helpers.testModelProtoSerialization(first, Event.class, test);
        assertArrayEquals(first.scores(test), ((LSTMAutoencoderModel) copy).scores(test));
        assertArrayEquals(first.trainingLoss(), ((LSTMAutoencoderModel) copy).trainingLoss());
        Helpers.testProvenanceMarshalling(first.getProvenance());
        Helpers.testConfigurableRoundtrip(t);
        t.setInvocationCount(0);
        assertArrayEquals(first.scores(test), t.train(train).scores(test));
    }

    /** Scoring a long series directly equals scoring its windows as examples. */
    @Test
    public void seriesPathEqualsWindowExamples() {
        LSTMAutoencoderModel model = new LSTMAutoencoderTrainer(8, 2, 16, new AdamOptimiser(5e-3), 6L, 0.1, 0.95)
                .train(windows(60, 0, 6L));
        SplittableRandom rng = new SplittableRandom(7);
        int n = 80, stride = 3;
        float[] series = new float[n * VARS];
        for (int i = 0; i < series.length; i++) {
            series[i] = (float) rng.nextGaussian();
        }
        double[] direct = new double[n];
        int count = model.scoreSeries(series, n, VARS, stride, direct);
        assertEquals((n - STEPS) / stride + 1, count);
        String[] names = names();
        for (int w = 0; w < count; w++) {
            double[] x = new double[STEPS * VARS];
            for (int j = 0; j < x.length; j++) {
                x[j] = series[w * stride * VARS + j];
            }
            double viaExample = model.score(new ArrayExample<>(new Event(Event.EventType.UNKNOWN), names, x));
            assertEquals(viaExample, direct[w], 0.0, "window " + w);
        }
    }

    @Test
    public void minScaleFloorsTheStandardisationOfNearlyConstantVariables() {
        // column 0 varies (sd 0.5), column 1 is nearly constant (sd 1e-4), column 2 is constant
        int n = 200;
        float[] rows = new float[n * 3];
        for (int r = 0; r < n; r++) {
            rows[r * 3] = r % 2 == 0 ? 0f : 1f;
            rows[r * 3 + 1] = 0.5f + (r % 2 == 0 ? -1e-4f : 1e-4f);
            rows[r * 3 + 2] = 0.25f;
        }
        FeatureStandardizer plain = FeatureStandardizer.fit(rows, n, 3);
        FeatureStandardizer floored = FeatureStandardizer.fit(rows, n, 3, 0.01);
        assertEquals(0.5f, plain.scale()[0], 1e-6f);
        assertEquals(1e-4f, plain.scale()[1], 1e-6f);
        assertEquals(1f, plain.scale()[2]);
        assertEquals(0.5f, floored.scale()[0], 1e-6f);
        assertEquals(0.01f, floored.scale()[1], 1e-9f);
        assertEquals(0.01f, floored.scale()[2], 1e-9f);
        assertThrows(IllegalArgumentException.class, () -> FeatureStandardizer.fit(rows, n, 3, -1));
        assertThrows(IllegalArgumentException.class, () -> FeatureStandardizer.fit(rows, n, 3, Double.NaN));
        // the trainer passes its floor on: every variable of the model's standardiser is at least minScale
        LSTMAutoencoderModel model = new LSTMAutoencoderTrainer(8, 1, 16, new AdamOptimiser(5e-3), 6L, 0.1, 0.95, 2.0)
                .train(windows(60, 0, 6L));
        for (float scale : model.standardizer().scale()) {
            assertTrue(scale >= 2.0f, "scale " + scale);
        }
        assertThrows(IllegalArgumentException.class,
                () -> new LSTMAutoencoderTrainer(8, 1, 16, new AdamOptimiser(5e-3), 6L, 0.1, 0.95, -0.5));
    }

    @Test
    public void featuresMustFormAWindow() {
        AnomalyFactory f = new AnomalyFactory();
        MutableDataset<Event> bad = new MutableDataset<>(new SimpleDataSourceProvenance("bad", f), f);
        bad.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), new String[]{"a", "b"}, new double[]{1, 2}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(1).train(bad));
        assertTrue(e.getMessage().contains("t<step>.v<variable>"), e.getMessage());
        MutableDataset<Event> unpadded = new MutableDataset<>(new SimpleDataSourceProvenance("unpadded", f), f);
        String[] names = new String[11 * 1];
        double[] v = new double[11];
        for (int i = 0; i < 11; i++) {
            names[i] = "t" + i + ".v0";
        }
        unpadded.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, v));
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> trainer(1).train(unpadded));
        assertTrue(u.getMessage().contains("zero-pad"), u.getMessage());
    }
}
