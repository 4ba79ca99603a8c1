package io.github.tribuokd.anomaly.classification;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.SequentialNetwork;
import io.github.tribuokd.nn.SoftTargetCrossEntropy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MLPClassificationTest {

    static MLPClassificationTrainer trainer(double dropout, long seed) {
        return new MLPClassificationTrainer(new int[]{16}, Activation.TANH, dropout, 30, 32,
                new AdamOptimiser(1e-2), seed);
    }

    @Test
    void learnsThreeClassesWithFullDistribution() {
        MutableDataset<Label> train = Blobs.threeClasses(600, 1L);
        MutableDataset<Label> test = Blobs.threeClasses(600, 2L);
        MLPClassificationModel model = trainer(0.0, 3L).train(train);
        double accuracy = Blobs.accuracy(model, test);
        assertTrue(accuracy > 0.85, "accuracy " + accuracy);
        assertTrue(model.generatesProbabilities());
        Prediction<Label> p = model.predict(test.getExample(0));
        assertEquals(3, p.getOutputScores().size());
        double sum = p.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
        assertEquals(1.0, sum, 1e-9);
        double best = p.getOutputScores().values().stream().mapToDouble(Label::getScore).max().getAsDouble();
        assertEquals(best, p.getOutput().getScore());
        assertEquals(p.getOutputScores().get(p.getOutput().getLabel()).getScore(), best);
    }

    @Test
    void dropoutTrainsReproduciblyAndIsIdentityAtInference() {
        MutableDataset<Label> train = Blobs.threeClasses(600, 1L);
        MutableDataset<Label> test = Blobs.threeClasses(300, 2L);
        MLPClassificationModel a = trainer(0.3, 3L).train(train);
        MLPClassificationModel b = trainer(0.3, 3L).train(train);
        MLPClassificationModel none = trainer(0.0, 3L).train(train);
        assertTrue(Blobs.accuracy(a, test) > 0.85, "accuracy " + Blobs.accuracy(a, test));
        boolean differs = false;
        for (Example<Label> e : test) {
            assertArrayEquals(a.logits(e), b.logits(e));
            assertArrayEquals(a.logits(e), a.logits(e)); // inference is deterministic
            differs |= !java.util.Arrays.equals(a.logits(e), none.logits(e));
        }
        assertTrue(differs, "dropout changed nothing");
        // a trainer rebuilt at the same invocation count trains the same model
        MLPClassificationTrainer t = trainer(0.3, 3L);
        t.train(train);
        MLPClassificationModel second = t.train(train);
        MLPClassificationTrainer again = trainer(0.3, 3L);
        again.setInvocationCount(1);
        MLPClassificationModel secondAgain = again.train(train);
        for (Example<Label> e : test) {
            assertArrayEquals(second.logits(e), secondAgain.logits(e));
        }
    }

    /**
     * The whole student (standardised inputs → dense → tanh → dropout → dense → distillation loss): the backward
     * pass of a training shard against central differences of its loss, wrt every parameter.
     */
    @Test
    void studentGradientThroughTheLossMatchesFiniteDifferences() {
        int n = 6, d = 4, k = 3;
        int[] sizes = {d, 5, k};
        SplittableRandom rng = new SplittableRandom(4);
        float[] x = new float[n * d];
        float[] teacher = new float[n * k];
        int[] labels = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < teacher.length; i++) {
            teacher[i] = (float) (2 * rng.nextGaussian());
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
        }
        int[] order = {3, 0, 5, 1, 4, 2};
        for (double[] c : new double[][]{{0, 1, 0}, {0.6, 3, 0}, {0.4, 2, 0.3}}) {
            SoftTargetCrossEntropy loss = new SoftTargetCrossEntropy(c[0], c[1], c[2]);
            SequentialNetwork net = new SequentialNetwork(
                    () -> MLPClassificationTrainer.trainingLayers(sizes, Activation.TANH, 0.3, 11L));
            net.initialise(new SplittableRandom(5));
            MLPClassificationTrainer.Shard shard = new MLPClassificationTrainer.Shard(net, x, labels, teacher, loss, k,
                    true, n);
            shard.compute(order, 1, 5, 8); // rows 1..4 of a batch of 8
            float[] g = shard.gradients().clone();
            float[] p = net.parameters();
            for (int i = 0; i < p.length; i++) {
                float keep = p[i];
                p[i] = keep + 1e-3f;
                double hi = p[i];
                double up = new MLPClassificationTrainer.Shard(net, x, labels, teacher, loss, k, true, n)
                        .compute(order, 1, 5, 8);
                p[i] = keep - 1e-3f;
                double lo = p[i];
                double down = new MLPClassificationTrainer.Shard(net, x, labels, teacher, loss, k, true, n)
                        .compute(order, 1, 5, 8);
                p[i] = keep;
                double numeric = (up - down) / (hi - lo) / 8;
                assertEquals(numeric, g[i], 0.02 * Math.abs(numeric) + 2e-4,
                        "parameter " + i + " for " + java.util.Arrays.toString(c));
            }
        }
    }

    @Test
    void protobufRoundTripGivesIdenticalPredictions(@TempDir Path dir) throws Exception {
        MutableDataset<Label> train = Blobs.threeClasses(300, 1L);
        MLPClassificationModel model = trainer(0.2, 3L).train(train);
        Path file = dir.resolve("model.tribuo");
        model.serializeToFile(file);
        Model<?> loaded = Model.deserializeFromFile(file);
        assertTrue(loaded instanceof MLPClassificationModel);
        MLPClassificationModel back = (MLPClassificationModel) loaded;
        assertEquals(model.getProvenance(), back.getProvenance());
        for (Example<Label> e : Blobs.threeClasses(100, 9L)) {
            Prediction<Label> a = model.predict(e);
            Prediction<Label> b = back.predict(e);
            assertEquals(a.getOutput().getLabel(), b.getOutput().getLabel());
            for (String l : a.getOutputScores().keySet()) {
                assertEquals(a.getOutputScores().get(l).getScore(), b.getOutputScores().get(l).getScore(), 0.0);
            }
        }
        // one flipped byte in the model's data is refused
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThrows(Exception.class, () -> Model.deserializeFromFile(file));
    }

    @Test
    void onnxExportMatchesJavaWithin1e4(@TempDir Path dir) throws Exception {
        MutableDataset<Label> train = Blobs.threeClasses(300, 1L);
        MLPClassificationModel model = new MLPClassificationTrainer(new int[]{12, 8}, Activation.RELU, 0.1, 20, 32,
                new AdamOptimiser(1e-2), 5L).train(train);
        Path file = dir.resolve("model.onnx");
        model.saveONNXModel("org.example", 1, file);
        MutableDataset<Label> test = Blobs.threeClasses(200, 9L);
        float[][] rows = new float[test.size()][];
        for (int i = 0; i < rows.length; i++) {
            Example<Label> e = test.getExample(i);
            rows[i] = new float[Blobs.FEATURES.length];
            int j = 0; // an example's features are sorted by name, i.e. in id order
            for (org.tribuo.Feature f : e) {
                rows[i][j++] = (float) f.getValue();
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] probabilities;
        try (OrtSession session = env.createSession(file.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Collections.singletonMap("input", input))) {
            probabilities = (float[][]) result.get(0).getValue();
        }
        double worst = 0;
        for (int i = 0; i < rows.length; i++) {
            Prediction<Label> p = model.predict(test.getExample(i));
            for (int id = 0; id < 3; id++) {
                String name = model.getOutputIDInfo().getOutput(id).getLabel();
                double java = p.getOutputScores().get(name).getScore();
                double rel = Math.abs(java - probabilities[i][id]) / Math.max(Math.abs(java), 1e-30);
                worst = Math.max(worst, rel);
            }
        }
        assertTrue(worst <= 1e-4, "worst relative difference " + worst);
    }

    @Test
    void clearErrors() {
        MLPClassificationTrainer t = trainer(0.0, 1L);
        MutableDataset<Label> one = Blobs.make(50, new String[]{"only"}, 1, 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(one));
        assertTrue(e.getMessage().contains("at least two"), e.getMessage());
        LabelFactory factory = new LabelFactory();
        // Tribuo's datasets refuse NaN themselves; infinite values and doubles beyond float32 reach the trainer
        MutableDataset<Label> inf = new MutableDataset<>(new SimpleDataSourceProvenance("inf", factory), factory);
        inf.add(new ArrayExample<>(new Label("A"), new String[]{"a", "b"}, new double[]{1, 2}));
        inf.add(new ArrayExample<>(new Label("B"), new String[]{"a", "b"}, new double[]{Double.POSITIVE_INFINITY, 2}));
        e = assertThrows(IllegalArgumentException.class, () -> t.train(inf));
        assertTrue(e.getMessage().contains("non-finite value Infinity for feature 'a'"), e.getMessage());
        assertEquals(0, t.getInvocationCount(), "a refusal is not an invocation");
        // NaN at prediction time
        MLPClassificationModel model = t.train(Blobs.threeClasses(60, 1L));
        double[] v = {0, 0, Double.NaN, 1};
        ArrayExample<Label> nan = new ArrayExample<>(new Label("A"), Blobs.FEATURES, v);
        e = assertThrows(IllegalArgumentException.class, () -> model.predict(nan));
        assertTrue(e.getMessage().contains("non-finite value NaN for feature 'f2'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> trainer(1.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> new MLPClassificationTrainer(new int[]{0},
                Activation.RELU, 0, 1, 1, new AdamOptimiser(1e-3), 1L));
    }
}
