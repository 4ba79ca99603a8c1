package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.SGDMomentumOptimiser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.dataset.DatasetView;
import org.tribuo.impl.ArrayExample;
import org.tribuo.test.Helpers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class DenseAutoencoderTest {

    static DenseAutoencoderTrainer trainer(long seed) {
        return new DenseAutoencoderTrainer(new int[]{6, 2}, Activation.TANH, 40, 32, new AdamOptimiser(0.005),
                seed, 0.2, 0.95);
    }

    static MutableDataset<Event> normalTraining() {
        MutableDataset<Event> all = TestData.manifold(1000, 0, 1L);
        return all;
    }

    @Test
    public void learnsNormalDataAndScoresAnomaliesHigher() {
        AutoencoderModel model = trainer(1).train(normalTraining());
        assertEquals(8 * 6 + 6 + 6 * 2 + 2 + 2 * 6 + 6 + 6 * 8 + 8, model.numParameters());
        MutableDataset<Event> test = TestData.manifold(300, 300, 2L);
        double[] normal = model.scores(TestData.normals(test));
        double[] anomalous = model.scores(TestData.anomalies(test));
        assertTrue(TestData.auc(normal, anomalous) > 0.95, "ROC-AUC " + TestData.auc(normal, anomalous));
        // Threshold: 0.95 quantile of held-out normal scores; about 5% of fresh normal data is above it.
        long above = Arrays.stream(normal).filter(s -> s > model.threshold()).count();
        assertTrue(above > 3 && above < 45, above + " of 300 normal examples above the threshold");
        // predict() agrees with score() and the threshold.
        Example<Event> e = TestData.anomalies(test).get(0);
        Event out = model.predict(e).getOutput();
        assertEquals(model.score(e), out.getScore(), 0.0);
        assertEquals(out.getScore() > model.threshold() ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED,
                out.getType());
        // Batched and single scoring agree.
        assertEquals(model.score(TestData.normals(test).get(7)), normal[7], 1e-12);
    }

    @Test
    public void anomalousTrainingLabelsAreRejectedOrDropped() {
        MutableDataset<Event> mixed = TestData.manifold(200, 5, 3L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(1).train(mixed));
        assertTrue(e.getMessage().contains("example 200") && e.getMessage().contains("ANOMALOUS"), e.getMessage());
        AutoencoderModel dropped = trainer(1).withAnomalousLabels(AnomalousLabelPolicy.DROP).train(mixed);
        AutoencoderModel clean = trainer(1).train(new DatasetView<>(mixed, range(200), "normal"));
        assertArrayEquals(clean.scores(TestData.normals(mixed)), dropped.scores(TestData.normals(mixed)));
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    @Test
    public void unknownMissingAndNonFiniteFeaturesAreErrors() {
        AutoencoderModel model = trainer(1).train(TestData.manifold(200, 0, 4L));
        String[] names = TestData.names(8);
        double[] v = new double[8];
        String[] unknown = names.clone();
        unknown[3] = "zz";
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> model.predict(new ArrayExample<>(new Event(Event.EventType.UNKNOWN), unknown, v)));
        assertTrue(a.getMessage().contains("'zz'"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> model.predict(new ArrayExample<>(new Event(Event.EventType.UNKNOWN),
                        Arrays.copyOf(names, 7), Arrays.copyOf(v, 7))));
        assertTrue(b.getMessage().contains("'f07'") && b.getMessage().contains("7 of the model's 8"), b.getMessage());
        double[] nan = v.clone();
        nan[2] = Double.NaN;
        assertThrows(IllegalArgumentException.class,
                () -> model.score(new ArrayExample<>(new Event(Event.EventType.UNKNOWN), names, nan)));
    }

    @Test
    public void emptyDatasetIsAnError() {
        MutableDataset<Event> empty = TestData.manifold(0, 0, 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer(1).train(empty));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    public void invocationCountReproducesModels() {
        MutableDataset<Event> data = TestData.manifold(300, 0, 5L);
        DenseAutoencoderTrainer t = trainer(7);
        AutoencoderModel first = t.train(data);
        AutoencoderModel second = t.train(data);
        List<Example<Event>> probe = TestData.normals(data);
        assertNotEquals(first.score(probe.get(0)), second.score(probe.get(0)));
        t.setInvocationCount(0);
        assertArrayEquals(first.scores(probe), t.train(data).scores(probe));
        assertArrayEquals(second.scores(probe), t.train(data).scores(probe));
        assertEquals(2, t.getInvocationCount());
        assertArrayEquals(first.scores(probe), trainer(7).train(data).scores(probe));
    }

    @Test
    public void protobufRoundTripAndCorruptFiles(@TempDir Path dir) throws IOException {
        AutoencoderModel model = trainer(1).train(TestData.manifold(300, 0, 6L));
        MutableDataset<Event> test = TestData.manifold(50, 50, 7L);
        Model<Event> copy = Helpers.testModelProtoSerialization(model, Event.class, test);
        assertArrayEquals(model.scores(test), ((AutoencoderModel) copy).scores(test));
        assertEquals(model.threshold(), ((AutoencoderModel) copy).threshold(), 0.0);

        Path file = dir.resolve("teacher.tribuo");
        model.serializeToFile(file);
        AutoencoderModel loaded = ModelFiles.load(file, AutoencoderModel.class);
        assertArrayEquals(model.scores(test), loaded.scores(test));
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.tribuo");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(truncated, AutoencoderModel.class));
        assertTrue(e.getMessage().contains("truncated.tribuo"), e.getMessage());
        Path garbage = dir.resolve("garbage.tribuo");
        Files.write(garbage, "this is not a model".getBytes());
        assertThrows(IOException.class, () -> ModelFiles.load(garbage, AutoencoderModel.class));
        IOException wrongType = assertThrows(IOException.class, () -> ModelFiles.load(file, MLPRegressionModel.class));
        assertTrue(wrongType.getMessage().contains("AutoencoderModel"), wrongType.getMessage());
    }

    @Test
    public void provenanceAndConfiguration() {
        DenseAutoencoderTrainer t = new DenseAutoencoderTrainer(new int[]{5, 3}, Activation.RELU, 2, 16,
                new SGDMomentumOptimiser(0.01, 0.9, true), 3L, 0.1, 0.9);
        Helpers.testConfigurableRoundtrip(t);
        AutoencoderModel model = t.train(TestData.manifold(100, 0, 8L));
        Helpers.testProvenanceMarshalling(model.getProvenance());
        String prov = model.getProvenance().toString();
        assertTrue(prov.contains("SGDMomentumOptimiser") && prov.contains("encoderSizes"), prov);
    }
}
