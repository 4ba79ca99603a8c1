package io.github.tribuokd.anomaly;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)'s distilled LSTM-autoencoder student with its Mahalanobis count rule, in Java and exported to ONNX, on the
 * embedded SMD machine (machine-1-2, 38 variables): parity with ONNX Runtime, protobuf round trips (with the rule and
 * from the version-0 format) and the errors for what cannot be done.
 */
public class LstmOnnxExportTest {

    private static final int L = 20;
    private static final int TRAIN_ROWS = 3000;
    private static final int TEST_ROWS = 8000;
    private static final int TRAIN_STRIDE = 5;
    private static final int TEST_STRIDE = 10;

    private static int m;
    private static MutableDataset<Event> train;
    private static List<Example<Event>> testWindows;
    private static float[] testMatrix;
    private static LSTMAutoencoderModel student;
    private static LSTMAutoencoderModel ruled;

    @BeforeAll
    public static void trainStudentAndRule() throws IOException {
        Path smd = TestData.embeddedSmd();
        assertNotNull(smd, "the embedded SMD machine (examples/src/main/resources/data/SMD) is missing");
        float[][] trainRows = readSmd(smd.resolve("train/machine-1-2.txt.gz"), TRAIN_ROWS);
        float[][] testRows = readSmd(smd.resolve("test/machine-1-2.txt.gz"), TEST_ROWS);
        int[] labels = readLabels(smd.resolve("test_label/machine-1-2.txt"), TEST_ROWS);
        m = trainRows[0].length;
        train = windows(trainRows, null, L, TRAIN_STRIDE);
        MutableDataset<Event> test = windows(testRows, labels, L, TEST_STRIDE);
        testWindows = new ArrayList<>();
        test.forEach(testWindows::add);

        // seed 000: teacher LSTM autoencoder, then a smaller student distilled from its reconstructions
        LSTMAutoencoderModel teacher = new LSTMAutoencoderTrainer(8, 2, 32, new AdamOptimiser(5e-3), 11L, 0.1, 0.99)
                .train(train);
        student = new ReconstructionDistillationTrainer(null, 4, 0.35, 1.5, 2, 32, new AdamOptimiser(5e-3), 12L, 0.1,
                0.99).distil(teacher, train);

        // the rule on the validation tail (the last 10% of the training windows), as the smd-lstm command does:
        // tau = 0.99 quantile of the validation a_t; c chosen so that the test windows hold both decisions
        List<Example<Event>> all = new ArrayList<>();
        train.forEach(all::add);
        int nTrain = all.size();
        int fit = nTrain - (int) Math.floor(nTrain * 0.1);
        List<Example<Event>> tail = all.subList(fit, nTrain);
        float[] validation = FeatureMatrix.toMatrix(tail, student.getFeatureIDMap());
        float[] errors = new float[validation.length];
        student.errorVectors(validation, tail.size(), errors);
        double[][] points = new double[tail.size() * L][m];
        for (int p = 0; p < points.length; p++) {
            for (int j = 0; j < m; j++) {
                points[p][j] = errors[p * m + j];
            }
        }
        MahalanobisDistance distance = MahalanobisDistance.fit(points);
        double tau = Quantiles.quantile(distance.scores(points), 0.99);
        ruled = student.withDecisionRule(MahalanobisWindowRule.of(distance, tau, 3));
        testMatrix = FeatureMatrix.toMatrix(testWindows, student.getFeatureIDMap());
    }

    /** Windows of {@code L} steps as examples named {@code t07.v03} (label: any anomalous point). */
    static MutableDataset<Event> windows(float[][] rows, int[] labels, int L, int stride) {
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> data = new MutableDataset<>(new SimpleDataSourceProvenance("SMD machine-1-2, L=" + L
                + ", stride " + stride, factory), factory);
        int vars = rows[0].length;
        String[] names = new String[L * vars];
        for (int t = 0; t < L; t++) {
            for (int v = 0; v < vars; v++) {
                names[t * vars + v] = String.format("t%02d.v%02d", t, v);
            }
        }
        for (int start = 0; start + L <= rows.length; start += stride) {
            double[] x = new double[L * vars];
            boolean anomalous = false;
            for (int t = 0; t < L; t++) {
                for (int v = 0; v < vars; v++) {
                    x[t * vars + v] = rows[start + t][v];
                }
                anomalous |= labels != null && labels[start + t] == 1;
            }
            data.add(new ArrayExample<>(new Event(anomalous ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED),
                    names, x));
        }
        return data;
    }

    /** The first {@code maxRows} lines of a gzipped SMD file: comma-separated numbers, one time step per line. */
    static float[][] readSmd(Path gz, int maxRows) throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz));
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (rows.size() < maxRows && (line = r.readLine()) != null) {
                String[] parts = line.split(",");
                float[] v = new float[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    v[i] = Float.parseFloat(parts[i].trim());
                }
                rows.add(v);
            }
        }
        return rows.toArray(new float[0][]);
    }

    static int[] readLabels(Path file, int maxRows) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int[] labels = new int[Math.min(maxRows, lines.size())];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = Integer.parseInt(lines.get(i).trim());
        }
        return labels;
    }

    /** The outputs of an exported detector in ONNX Runtime. */
    static final class OrtOutputs {
        final float[] score;
        final boolean[] anomalous;
        final float[][] pointScores;

        OrtOutputs(float[] score, boolean[] anomalous, float[][] pointScores) {
            this.score = score;
            this.anomalous = anomalous;
            this.pointScores = pointScores;
        }
    }

    static OrtOutputs run(Path onnx, float[] matrix, int n, int width) throws OrtException {
        float[][] rows = new float[n][width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix, i * width, rows[i], 0, width);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Collections.singletonMap(OnnxDetectorExport.INPUT, input))) {
            float[][] score = (float[][]) result.get(OnnxDetectorExport.SCORE).get().getValue();
            boolean[][] decision = (boolean[][]) result.get(OnnxDetectorExport.DECISION).get().getValue();
            float[][] points = result.get(LSTMAutoencoderModel.POINT_SCORES).isPresent()
                    ? (float[][]) result.get(LSTMAutoencoderModel.POINT_SCORES).get().getValue() : null;
            float[] s = new float[n];
            boolean[] d = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = score[i][0];
                d[i] = decision[i][0];
            }
            return new OrtOutputs(s, d, points);
        }
    }

    private static boolean[] javaDecisions(LSTMAutoencoderModel model) {
        List<Prediction<Event>> predictions = model.predict(testWindows);
        boolean[] out = new boolean[predictions.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = predictions.get(i).getOutput().getType() == Event.EventType.ANOMALOUS;
        }
        return out;
    }

    @Test
    public void studentWithoutRuleMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        assertFalse(student.decisionRule().isPresent());
        Path file = dir.resolve("student.onnx");
        student.saveONNXModel("io.github.tribuokd", 1, file);
        int n = testWindows.size();
        OrtOutputs ort = run(file, testMatrix, n, student.getFeatureIDMap().size());
        double[] java = student.scores(testWindows);
        OnnxCheck.assertMatches(java, ort.score, "mean squared error");
        assertArrayEquals(javaDecisions(student), ort.anomalous, "decisions");
        assertEquals(null, ort.pointScores);
        assertEquals(Double.toString(student.reconstructionThreshold()),
                OnnxCheck.metadata(file, OnnxDetectorExport.META_THRESHOLD));
        assertEquals(Integer.toString(L), OnnxCheck.metadata(file, LSTMAutoencoderModel.META_WINDOW_LENGTH));
        assertEquals(Integer.toString(m), OnnxCheck.metadata(file, LSTMAutoencoderModel.META_VARIABLES));
        assertEquals(null, OnnxCheck.metadata(file, LSTMAutoencoderModel.META_TAU));
    }

    @Test
    public void studentWithRuleMatchesOnnxRuntime(@TempDir Path dir) throws Exception {
        MahalanobisWindowRule rule = ruled.decisionRule().orElseThrow();
        int n = testWindows.size();
        double[] java = ruled.scores(testWindows);
        double[] points = new double[n * L];
        ruled.pointScores(testMatrix, n, points);
        boolean[] decisions = javaDecisions(ruled);
        int flagged = 0;
        for (int i = 0; i < n; i++) {
            // the score is the count of points above tau, the decision count >= c (seed 000, §2.1)
            int count = rule.countExceeding(points, i * L, (i + 1) * L);
            assertEquals(count, java[i], 0.0, "window " + i);
            assertEquals(count >= rule.minCount(), decisions[i], "window " + i);
            flagged += decisions[i] ? 1 : 0;
        }
        assertTrue(flagged > 0 && flagged < n, flagged + " of " + n + " windows flagged: the check needs both");

        Path file = dir.resolve("student-rule.onnx");
        ruled.saveONNXModel("io.github.tribuokd", 1, file);
        OrtOutputs ort = run(file, testMatrix, n, ruled.getFeatureIDMap().size());
        assertNotNull(ort.pointScores);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(L, ort.pointScores[i].length);
            for (int t = 0; t < L; t++) {
                double a = points[i * L + t];
                double diff = Math.abs(a - ort.pointScores[i][t]);
                worst = Math.max(worst, diff / Math.max(Math.abs(a), 1e-3));
                assertTrue(diff <= 1e-4 * Math.max(Math.abs(a), 1e-3),
                        "point score of window " + i + ", step " + t + ": java " + a + " onnx " + ort.pointScores[i][t]);
            }
        }
        assertArrayEquals(toFloat(java), ort.score, "counts");
        assertArrayEquals(decisions, ort.anomalous, "decisions");
        assertEquals(Double.toString(rule.minCount() - 0.5), OnnxCheck.metadata(file, OnnxDetectorExport.META_THRESHOLD));
        assertEquals(Double.toString(rule.tau()), OnnxCheck.metadata(file, LSTMAutoencoderModel.META_TAU));
        assertEquals(Integer.toString(rule.minCount()), OnnxCheck.metadata(file, LSTMAutoencoderModel.META_MIN_COUNT));
        assertEquals(Integer.toString(L), OnnxCheck.metadata(file, LSTMAutoencoderModel.META_WINDOW_LENGTH));
        assertEquals(Integer.toString(m), OnnxCheck.metadata(file, LSTMAutoencoderModel.META_VARIABLES));
        System.out.printf("LstmOnnxExportTest: %d of %d SMD windows flagged (tau %.3g, c %d, ridge %.3g), worst"
                + " relative point-score gap %.2e%n", flagged, n, rule.tau(), rule.minCount(),
                rule.distance().ridge(), worst);
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    @Test
    public void ruleRoundTripsThroughProtobufAndProvenance() throws Exception {
        List<Example<Event>> few = testWindows.subList(0, 120);
        Model<Event> copy = Helpers.testModelProtoSerialization(ruled, Event.class, few);
        LSTMAutoencoderModel back = (LSTMAutoencoderModel) copy;
        assertArrayEquals(ruled.scores(few), back.scores(few));
        MahalanobisWindowRule a = ruled.decisionRule().orElseThrow();
        MahalanobisWindowRule b = back.decisionRule().orElseThrow();
        assertEquals(a.tau(), b.tau());
        assertEquals(a.minCount(), b.minCount());
        assertArrayEquals(a.distance().mean(), b.distance().mean());
        assertEquals(a.distance().ridge(), b.distance().ridge());
        assertEquals(ruled.threshold(), back.threshold());
        assertEquals(ruled.reconstructionThreshold(), back.reconstructionThreshold());
        double[] p1 = new double[few.size() * L];
        double[] p2 = new double[few.size() * L];
        ruled.pointScores(testMatrix, few.size(), p1);
        back.pointScores(testMatrix, few.size(), p2);
        assertArrayEquals(p1, p2);
        // versions: 1 with a rule, 0 (the original format) without
        assertEquals(1, ruled.serialize().getVersion());
        assertEquals(0, student.serialize().getVersion());
        // the rule is in the instance provenance, and provenance survives marshalling
        MapProvenance<?> settings = (MapProvenance<?>) back.getProvenance().getInstanceProvenance().getMap()
                .get(LSTMAutoencoderModel.DECISION_RULE_PROVENANCE);
        assertNotNull(settings);
        assertEquals(a.tau(), ((com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance)
                settings.getMap().get(MahalanobisWindowRule.TAU)).getValue());
        assertEquals(student.getProvenance().getTrainingTime(), ruled.getProvenance().getTrainingTime());
        assertEquals(student.getProvenance().getTrainerProvenance(), ruled.getProvenance().getTrainerProvenance());
        assertTrue(student.getProvenance().getInstanceProvenance().getMap()
                .containsKey(ReconstructionDistillationTrainer.TEACHER_MODEL_PROVENANCE));
        assertTrue(ruled.getProvenance().getInstanceProvenance().getMap()
                .containsKey(ReconstructionDistillationTrainer.TEACHER_MODEL_PROVENANCE));
        Helpers.testProvenanceMarshalling(ruled.getProvenance());
    }

    @Test
    public void versionZeroFilesStillLoad() throws Exception {
        Path file;
        try (InputStream in = LstmOnnxExportTest.class.getResourceAsStream("lstm-autoencoder-v0.tribuo")) {
            assertNotNull(in, "fixture lstm-autoencoder-v0.tribuo");
            file = Files.createTempFile("lstm-v0", ".tribuo");
            Files.write(file, in.readAllBytes());
        }
        try {
            assertEquals(0, ModelProto.parseFrom(Files.readAllBytes(file)).getVersion());
            LSTMAutoencoderModel old = (LSTMAutoencoderModel) Model.deserializeFromFile(file);
            assertFalse(old.decisionRule().isPresent());
            List<String> lines;
            try (InputStream in = LstmOnnxExportTest.class.getResourceAsStream("lstm-autoencoder-v0-scores.csv")) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.toList());
            }
            double threshold = Double.parseDouble(lines.get(0));
            assertEquals(threshold, old.threshold());
            assertEquals(threshold, old.reconstructionThreshold());
            int w = old.getFeatureIDMap().size();
            float[] rows = new float[(lines.size() - 1) * w];
            double[] expected = new double[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                String[] parts = lines.get(i).split(",");
                assertEquals(w + 1, parts.length);
                for (int j = 0; j < w; j++) {
                    rows[(i - 1) * w + j] = Float.parseFloat(parts[j]);
                }
                expected[i - 1] = Double.parseDouble(parts[w]);
            }
            double[] scores = new double[expected.length];
            old.scoreMatrix(rows, expected.length, scores);
            for (int i = 0; i < scores.length; i++) {
                assertEquals(expected[i], scores[i], 1e-12 * Math.max(1, expected[i]), "window " + i);
            }
            // the old model can take a rule, and is then written as version 1
            double[][] errors = new double[expected.length * old.windowLength()][old.variables()];
            float[] e = new float[rows.length];
            old.errorVectors(rows, expected.length, e);
            for (int p = 0; p < errors.length; p++) {
                for (int j = 0; j < old.variables(); j++) {
                    errors[p][j] = e[p * old.variables() + j];
                }
            }
            LSTMAutoencoderModel withRule = old.withDecisionRule(MahalanobisWindowRule.fit(errors, 1.0, 2));
            ModelProto proto = withRule.serialize();
            assertEquals(1, proto.getVersion());
            LSTMAutoencoderModel back = (LSTMAutoencoderModel) Model.deserialize(proto);
            assertTrue(back.decisionRule().isPresent());
            assertEquals(1.5, back.threshold());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void clearErrorsForWhatCannotBeDone() {
        // a rule of the wrong dimension
        double[][] twoDims = {{0.1, 0.2}, {0.3, 0.1}, {0.2, 0.4}};
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> student.withDecisionRule(MahalanobisWindowRule.fit(twoDims, 1.0, 1)));
        assertTrue(wrong.getMessage().contains("m = 2") && wrong.getMessage().contains(m + " variables"),
                wrong.getMessage());
        // point scores need a rule
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> student.pointScores(testMatrix, 1, new double[L]));
        assertTrue(none.getMessage().contains("no decision rule"), none.getMessage());
        // a diverged network (a NaN weight) is refused by the export, with the parameter named
        LSTMAutoencoderNetwork broken = student.network().copy();
        broken.parameters()[5] = Float.NaN;
        LSTMAutoencoderModel nan = new LSTMAutoencoderModel("broken", student.getProvenance(),
                student.getFeatureIDMap(), student.getOutputIDInfo(), broken, student.standardizer(), L,
                student.threshold(), student.trainingLoss());
        IllegalStateException diverged = assertThrows(IllegalStateException.class,
                () -> nan.exportONNXModel("io.github.tribuokd", 1));
        assertTrue(diverged.getMessage().contains("parameter 5"), diverged.getMessage());
        // a NaN threshold cannot even make a model (issue 23: nothing would ever be ANOMALOUS)
        IllegalArgumentException threshold = assertThrows(IllegalArgumentException.class,
                () -> new LSTMAutoencoderModel("nan threshold", student.getProvenance(), student.getFeatureIDMap(),
                        student.getOutputIDInfo(), student.network(), student.standardizer(), L, Double.NaN,
                        student.trainingLoss()));
        assertTrue(threshold.getMessage().contains("threshold is NaN"), threshold.getMessage());
        // and a rule cannot be built with a non-finite tau or c < 1
        MahalanobisDistance d = ruled.decisionRule().orElseThrow().distance();
        assertThrows(IllegalArgumentException.class, () -> MahalanobisWindowRule.of(d, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> MahalanobisWindowRule.of(d, 1.0, 0));
    }

    /** Windows of one step (no free-running decoder steps after the first) and two steps export as well. */
    @Test
    public void shortWindowsExportToo(@TempDir Path dir) throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(21);
        float[][] series = new float[300][3];
        for (int t = 0; t < series.length; t++) {
            for (int v = 0; v < 3; v++) {
                series[t][v] = (float) (Math.sin(0.3 * t + v) + 0.1 * rng.nextGaussian());
            }
        }
        for (int steps : new int[]{1, 2}) {
            MutableDataset<Event> data = windows(series, null, steps, 1);
            LSTMAutoencoderModel model = new LSTMAutoencoderTrainer(5, 1, 32, new AdamOptimiser(5e-3), 3L, 0.1, 0.99)
                    .train(data);
            List<Example<Event>> list = new ArrayList<>();
            data.forEach(list::add);
            int n = list.size();
            float[] matrix = FeatureMatrix.toMatrix(list, model.getFeatureIDMap());
            float[] e = new float[matrix.length];
            model.errorVectors(matrix, n, e);
            double[][] points = new double[n * steps][3];
            for (int p = 0; p < points.length; p++) {
                for (int j = 0; j < 3; j++) {
                    points[p][j] = e[p * 3 + j];
                }
            }
            MahalanobisDistance distance = MahalanobisDistance.fit(points);
            double tau = Quantiles.quantile(distance.scores(points), 0.8);
            for (LSTMAutoencoderModel exported : List.of(model,
                    model.withDecisionRule(MahalanobisWindowRule.of(distance, tau, 1)))) {
                Path file = dir.resolve("short-" + steps + "-" + exported.decisionRule().isPresent() + ".onnx");
                exported.saveONNXModel("io.github.tribuokd", 1, file);
                OrtOutputs ort = run(file, matrix, n, steps * 3);
                double[] java = exported.scores(list);
                OnnxCheck.assertMatches(java, ort.score, "L = " + steps);
                boolean[] decisions = new boolean[n];
                for (int i = 0; i < n; i++) {
                    decisions[i] = java[i] > exported.threshold();
                }
                assertArrayEquals(decisions, ort.anomalous, "L = " + steps);
            }
        }
    }

    @Test
    public void metadataDescribesTheRule() {
        Map<String, String> meta = new java.util.HashMap<>();
        ruled.exportONNXModel("io.github.tribuokd", 1).getMetadataPropsList()
                .forEach(e -> meta.put(e.getKey(), e.getValue()));
        assertTrue(meta.get(LSTMAutoencoderModel.META_SCORE).contains("count >= c"));
        assertEquals(Integer.toString(student.hiddenSize()), meta.get(LSTMAutoencoderModel.META_HIDDEN));
        assertTrue(meta.get(OnnxDetectorExport.META_FEATURES).startsWith("t00.v00,t00.v01,"));
    }
}
