package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files written by tribuo-kd before model files carried a content checksum (the {@code main} branch of
 * issue 23's start) must still load and score as they did: a dense autoencoder teacher, a reconstruction-distilled
 * dense student and a score-distilled detector with an MLP student, with their scores on fixed inputs.
 * <p>
 * The fixtures were written by {@link #writeFixtures} on that code:
 * {@code mvn -o test -pl tribuo-kd-anomaly -Dtest=PreChecksumModelFilesTest -Dtribuokd.writeFixtures=<dir>}.
 */
public class PreChecksumModelFilesTest {

    /** The fixture files, in the column order of the scores file. */
    static final String[] FILES = {"pre-checksum-dense-teacher.tribuo", "pre-checksum-dense-student.tribuo",
            "pre-checksum-distilled-mlp.tribuo"};
    static final String SCORES = "pre-checksum-scores.csv";

    /** Writes the three model files and their scores into the directory named by {@code tribuokd.writeFixtures}. */
    @Test
    @EnabledIfSystemProperty(named = "tribuokd.writeFixtures", matches = ".+")
    public void writeFixtures() throws IOException {
        Path dir = Path.of(System.getProperty("tribuokd.writeFixtures"));
        Files.createDirectories(dir);
        MutableDataset<Event> train = TestData.manifold(400, 0, 31L);
        AutoencoderModel teacher = DenseAutoencoderTest.trainer(5).train(train);
        AutoencoderModel student = new DenseReconstructionDistillationTrainer(null, new int[]{3}, Activation.TANH,
                0.35, 1.5, 20, 32, new AdamOptimiser(0.005), 6L, 0.2, 0.95).distil(teacher, train);
        DistilledAnomalyModel distilled = new ScoreDistillationTrainer(null,
                new MLPRegressionTrainer(new int[]{6}, Activation.TANH, LossFunction.MAE, 20, 32,
                        new AdamOptimiser(3e-3), 7L)).distil(teacher, train);
        List<AbstractScoredAnomalyModel> models = List.of(teacher, student, distilled);
        for (int i = 0; i < FILES.length; i++) {
            models.get(i).serializeToFile(dir.resolve(FILES[i]));
        }
        float[] rows = inputs();
        int n = rows.length / TestData.DIM;
        StringBuilder sb = new StringBuilder();
        sb.append("# Written before model files carried a checksum (issue 23): ").append(String.join(", ", FILES))
                .append(".\n# The first line holds the three thresholds; then one row per line: ").append(TestData.DIM)
                .append(" raw float values in feature-id order, then the three models' scores.\n");
        sb.append(models.stream().map(m -> Double.toString(m.threshold())).collect(Collectors.joining(",")))
                .append('\n');
        double[][] scores = new double[models.size()][n];
        for (int m = 0; m < models.size(); m++) {
            models.get(m).scoreMatrix(rows, n, scores[m]);
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < TestData.DIM; j++) {
                sb.append(Float.toString(rows[r * TestData.DIM + j])).append(',');
            }
            sb.append(String.format(Locale.ROOT, "%s,%s,%s%n", scores[0][r], scores[1][r], scores[2][r]));
        }
        Files.writeString(dir.resolve(SCORES), sb.toString());
    }

    /** 20 normal and 20 anomalous rows of the generated data, as float32. */
    static float[] inputs() {
        MutableDataset<Event> test = TestData.manifold(20, 20, 32L);
        float[] rows = FeatureMatrix.toMatrix(test, test.getFeatureIDMap());
        return rows;
    }

    static Path copy(String resource, Path dir) throws IOException {
        try (InputStream in = PreChecksumModelFilesTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "fixture " + resource);
            Path file = dir.resolve(resource);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    static List<String> scoreLines() throws IOException {
        try (InputStream in = PreChecksumModelFilesTest.class.getResourceAsStream(SCORES)) {
            assertNotNull(in, "fixture " + SCORES);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#")).collect(Collectors.toList());
        }
    }

    @Test
    public void filesWrittenBeforeChecksumsLoadAndScoreAsBefore(@TempDir Path dir) throws IOException {
        List<String> lines = scoreLines();
        String[] thresholds = lines.get(0).split(",");
        int d = TestData.DIM;
        int n = lines.size() - 1;
        float[] rows = new float[n * d];
        double[][] expected = new double[FILES.length][n];
        for (int r = 0; r < n; r++) {
            String[] parts = lines.get(r + 1).split(",");
            assertEquals(d + FILES.length, parts.length);
            for (int j = 0; j < d; j++) {
                rows[r * d + j] = Float.parseFloat(parts[j]);
            }
            for (int m = 0; m < FILES.length; m++) {
                expected[m][r] = Double.parseDouble(parts[d + m]);
            }
        }
        String[] names = TestData.names(d);
        List<Example<Event>> examples = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = rows[r * d + j];
            }
            examples.add(new ArrayExample<>(new Event(Event.EventType.UNKNOWN), names, x));
        }
        for (int m = 0; m < FILES.length; m++) {
            Path file = copy(FILES[m], dir);
            AbstractScoredAnomalyModel model = ModelFiles.load(file, AbstractScoredAnomalyModel.class);
            assertEquals(Double.parseDouble(thresholds[m]), model.threshold(), FILES[m]);
            double[] matrixScores = new double[n];
            model.scoreMatrix(rows, n, matrixScores);
            double[] exampleScores = model.scores(examples);
            for (int r = 0; r < n; r++) {
                // identical on the machine that wrote them; a CPU with other vector widths may round differently
                double tolerance = 1e-6 * Math.max(1e-3, Math.abs(expected[m][r]));
                assertEquals(expected[m][r], matrixScores[r], tolerance, FILES[m] + " row " + r);
                assertEquals(matrixScores[r], exampleScores[r], 0.0, FILES[m] + " row " + r);
            }
            // written again by this version, it loads and scores bit for bit the same
            Model<?> again = Model.deserialize(model.serialize());
            double[] againScores = new double[n];
            ((AbstractScoredAnomalyModel) again).scoreMatrix(rows, n, againScores);
            assertTrue(java.util.Arrays.equals(matrixScores, againScores), FILES[m]);
        }
        DistilledAnomalyModel distilled = ModelFiles.load(copy(FILES[2], dir), DistilledAnomalyModel.class);
        assertTrue(distilled.student() instanceof MLPRegressionModel);
    }
}
