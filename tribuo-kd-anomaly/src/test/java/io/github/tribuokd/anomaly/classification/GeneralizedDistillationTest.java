package io.github.tribuokd.anomaly.classification;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneralizedDistillationTest {

    static MLPClassificationTrainer logistic(long seed) {
        return new MLPClassificationTrainer(new int[0], Activation.TANH, 0.0, 40, 16, new AdamOptimiser(1e-2), seed);
    }

    static GeneralizedDistillationTrainer trainer(List<String> student) {
        MLPClassificationTrainer teacher = new MLPClassificationTrainer(new int[]{8}, Activation.TANH, 0.0, 40, 16,
                new AdamOptimiser(1e-2), 7L);
        return new GeneralizedDistillationTrainer(teacher, logistic(11L), student, List.of("p0", "p1"), 2.0, 0.5);
    }

    static MutableDataset<Label> data(int from, int count) {
        return MackeyGlass.task(MackeyGlass.series(2000, 300), from, count, 8, "mg");
    }

    @Test
    void generatorGoldenValues() {
        double[] start = MackeyGlass.series(2, 0);
        assertEquals(1.2, start[0], 0);
        // On [0, 1] the delayed value is the constant history 1.2, so x(1) = c/γ + (1.2 − c/γ)e^{−γ},
        // c = 0.2·1.2/(1 + 1.2^10): checked by hand, 1.11756...
        double c = 0.2 * 1.2 / (1 + Math.pow(1.2, 10));
        assertEquals(c / 0.1 + (1.2 - c / 0.1) * Math.exp(-0.1), start[1], 1e-9);
        assertEquals(1.11756221, start[1], 1e-8);
        // An independent re-implementation of the same RK4 scheme (Python, double precision)
        double[] later = MackeyGlass.series(10, 300);
        assertEquals(1.1527300522010917, later[0], 1e-12);
        assertEquals(0.858899093124189, later[5], 1e-12);
        assertEquals(0.6535446001655969, later[9], 1e-12);
        assertEquals(0.4919720967329632, MackeyGlass.series(1, 17)[0], 1e-12);
    }

    @Test
    void unknownFeatureNameIsNamed() {
        GeneralizedDistillationTrainer t = trainer(List.of("s0", "s1", "nope"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(data(3, 100)));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("student"), e.getMessage());
        GeneralizedDistillationTrainer t2 = new GeneralizedDistillationTrainer(logistic(1L), logistic(2L),
                List.of("s0"), List.of("p9"), 1.0, 0.5);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> t2.train(data(3, 100)));
        assertTrue(e2.getMessage().contains("'p9'") && e2.getMessage().contains("teacher"), e2.getMessage());
    }

    @Test
    void predictsFromStudentFeaturesOnlyAndRoundTrips(@TempDir Path dir) throws Exception {
        MLPClassificationModel model = trainer(Arrays.asList(MackeyGlass.STUDENT)).train(data(3, 100));
        assertEquals(4, model.getFeatureIDMap().size());
        MutableDataset<Label> test = data(500, 200);
        int agree = 0;
        int correct = 0;
        for (Example<Label> e : test) {
            double[] v = new double[4];
            for (int j = 0; j < 4; j++) {
                v[j] = e.lookup(MackeyGlass.STUDENT[j]).getValue();
            }
            Example<Label> onlyX = new ArrayExample<>(e.getOutput(), MackeyGlass.STUDENT, v);
            Prediction<Label> a = model.predict(onlyX);
            // the privileged features are unknown to the student: the library's convention refuses them
            assertThrows(IllegalArgumentException.class, () -> model.predict(e));
            agree++;
            correct += a.getOutput().getLabel().equals(e.getOutput().getLabel()) ? 1 : 0;
        }
        assertEquals(test.size(), agree);
        assertTrue(correct > test.size() / 2, "accuracy " + correct);
        Path file = dir.resolve("gd.tribuo");
        model.serializeToFile(file);
        Model<?> loaded = Model.deserializeFromFile(file);
        @SuppressWarnings("unchecked")
        Model<Label> back = (Model<Label>) loaded;
        for (Example<Label> e : GeneralizedDistillationTrainer.select(test, List.of(MackeyGlass.STUDENT), "student")) {
            assertEquals(model.predict(e).getOutput().getLabel(), back.predict(e).getOutput().getLabel());
        }
        assertEquals(model.getProvenance(), back.getProvenance());
        assertTrue(model.getProvenance().toString().contains("GeneralizedDistillationTrainer"));
    }

    @Test
    void logisticStudentExportsToOnnx(@TempDir Path dir) throws Exception {
        MLPClassificationModel model = trainer(Arrays.asList(MackeyGlass.STUDENT)).train(data(3, 100));
        Path file = dir.resolve("gd.onnx");
        model.saveONNXModel("org.example", 1, file);
        Dataset<Label> test = GeneralizedDistillationTrainer.select(data(500, 100), List.of(MackeyGlass.STUDENT),
                "student");
        float[][] rows = new float[test.size()][4];
        for (int i = 0; i < rows.length; i++) {
            int j = 0; // s0..s3: name order is id order
            for (org.tribuo.Feature f : test.getExample(i)) {
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
        for (int i = 0; i < rows.length; i++) {
            Prediction<Label> p = model.predict(test.getExample(i));
            for (int id = 0; id < 2; id++) {
                String name = model.getOutputIDInfo().getOutput(id).getLabel();
                assertEquals(p.getOutputScores().get(name).getScore(), probabilities[i][id], 1e-4);
            }
        }
    }

    @Test
    void retrainFromProvenanceGivesTheSameStudent() {
        GeneralizedDistillationTrainer trainer = trainer(Arrays.asList(MackeyGlass.STUDENT));
        org.tribuo.test.Helpers.testConfigurableRoundtrip(trainer);
        MLPClassificationModel model = trainer.train(data(3, 100));
        // the provenance names the features and the settings, and rebuilds the trainer
        org.tribuo.provenance.TrainerProvenance tp = model.getProvenance().getTrainerProvenance();
        assertEquals(GeneralizedDistillationTrainer.class.getName(), tp.getClassName());
        assertTrue(tp.getConfiguredParameters().get("studentFeatures").toString().contains(MackeyGlass.STUDENT[0]),
                tp.toString());
        assertEquals("0.5", tp.getConfiguredParameters().get("lambda").toString());
        List<com.oracle.labs.mlrg.olcut.config.ConfigurationData> config =
                com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil.extractConfiguration(model.getProvenance());
        com.oracle.labs.mlrg.olcut.config.ConfigurationManager cm =
                new com.oracle.labs.mlrg.olcut.config.ConfigurationManager();
        cm.addConfiguration(config);
        String name = com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil.computeName(tp, 0);
        GeneralizedDistillationTrainer rebuilt = (GeneralizedDistillationTrainer) cm.lookup(name);
        MLPClassificationModel again = rebuilt.train(data(3, 100));
        for (Example<Label> e : GeneralizedDistillationTrainer.select(data(500, 50), List.of(MackeyGlass.STUDENT),
                "student")) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(model.logits(e), again.logits(e));
        }
        // a second invocation of the same trainer draws new numbers; the count reproduces the first
        MLPClassificationModel second = trainer.train(data(3, 100));
        assertEquals(2, trainer.getInvocationCount());
        Example<Label> probe = GeneralizedDistillationTrainer.select(data(600, 1), List.of(MackeyGlass.STUDENT),
                "student").getExample(0);
        assertTrue(!Arrays.equals(model.logits(probe), second.logits(probe)));
    }
}
