package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.DenseAutoencoderTrainer;
import io.github.tribuokd.anomaly.DistilledAnomalyModel;
import io.github.tribuokd.anomaly.MLPRegressionTrainer;
import io.github.tribuokd.anomaly.ScoreDistillationTrainer;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.regression.Regressor;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java quick start of README.md, as written there (on a slice of the data to keep the test short). */
public class QuickStartTest {

    @Test
    public void readmeQuickStart(@TempDir Path dir) throws Exception {
        Path smd = Path.of("src/main/resources/data/SMD");
        // --- README quick start ---
        MultivariateSeries train = SmdLoader.load(smd, "machine-1-2").train().slice(0, 2000);
        MutableDataset<Event> windows = new SlidingWindows(10, 1).toDataset(train, "machine-1-2 train");

        Trainer<Event> teacher = new DenseAutoencoderTrainer(new int[]{64, 16}, Activation.TANH, 15, 128,
                new AdamOptimiser(1e-3), 12345L, 0.1, 0.99);
        Trainer<Regressor> student = new MLPRegressionTrainer(new int[]{16}, Activation.RELU, LossFunction.MAE,
                30, 100, 12345L);
        DistilledAnomalyModel model = new ScoreDistillationTrainer(teacher, student).train(windows);

        Event event = model.predict(windows.getExample(0)).getOutput();   // score in the teacher's scale
        model.saveONNXModel("org.example", 1, dir.resolve("student.onnx"));
        model.serializeToFile(dir.resolve("student.tribuo"));
        System.out.println(model.getProvenance());                        // teacher and student settings
        // --- end ---
        assertTrue(event.getScore() >= 0);
        assertTrue(Files.size(dir.resolve("student.onnx")) > 0 && Files.size(dir.resolve("student.tribuo")) > 0);
    }
}
