package io.github.tribuokd.examples;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import io.github.tribuokd.anomaly.ModelFiles;
import io.github.tribuokd.anomaly.AutoencoderModel;
import io.github.tribuokd.anomaly.DenseReconstructionDistillationTrainer;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class DemoCommandTest {

    /** The first 6,000 test rows of machine-1-2 hold three anomaly segments (140 points). */
    static final String[] SMALL = {"--max-train-rows", "3000", "--max-test-rows", "6000"};

    static Path out;
    static DemoCommand.Report report;

    @BeforeAll
    static void runSmallDemo(@TempDir Path dir) throws Exception {
        out = dir.resolve("demo");
        String[] args = concat(SMALL, new String[]{"--out", out.toString()});
        report = DemoCommand.run(DemoCommand.Options.parse(args));
    }

    static String[] concat(String[] a, String[] b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    public void helpListsTheSubcommands() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.run(new String[]{"--help"}));
        } finally {
            System.setOut(old);
        }
        String help = buf.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("demo"), help);
    }

    @Test
    @SuppressWarnings("unchecked")
    public void reportHasEveryFigure() throws Exception {
        String json = Files.readString(out.resolve("report.json"));
        for (String key : new String[]{"\"teacher\"", "\"student\"", "\"random_baseline\"", "\"roc_auc\"",
                "\"pr_auc\"", "\"parameters\"", "\"scoring_ns_per_example\"", "\"emd_teacher_vs_student\"",
                "\"f1_pa\"", "\"pak_area\"", "\"best_f1_pa\"", "\"difference_student_minus_teacher\"",
                "\"teacher_provenance\"", "\"distilled_provenance\""}) {
            assertTrue(json.contains(key), "report.json lacks " + key);
        }
        Map<String, Object> teacher = (Map<String, Object>) report.json.get("teacher");
        Map<String, Object> student = (Map<String, Object>) report.json.get("student");
        Map<String, Object> random = (Map<String, Object>) teacher.get("random_baseline");
        Map<String, Object> parameters = (Map<String, Object>) report.json.get("parameters");
        // The teacher beats random scores clearly on this slice; the student stays close to the teacher.
        double t = (Double) teacher.get("roc_auc"), s = (Double) student.get("roc_auc");
        double r = (Double) random.get("roc_auc");
        assertTrue(t > 0.7 && t > r + 0.15, "teacher ROC-AUC " + t + ", random " + r);
        assertTrue(s > t - 0.1, "student ROC-AUC " + s + " vs teacher " + t);
        assertTrue(((Number) parameters.get("student")).longValue()
                < ((Number) parameters.get("teacher")).longValue() / 4);
        assertTrue(Files.readString(out.resolve("report.md")).contains("| random, flagging as many as the teacher"));
        assertTrue(Files.readString(out.resolve("report.md")).contains("| scores | VUS-PR | VUS-ROC | ROC-AUC |"));
        assertTrue(json.contains("\"vus_pr\"") && json.contains("\"vus_roc\"") && json.contains("\"f1_event\""), json);
        for (String png : new String[]{"scores.png", "roc.png", "pr.png", "teacher-vs-student.png"}) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out.resolve(png)), 4);
            assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, head, png + " is not a PNG");
        }
    }

    /** The exported student runs in ONNX Runtime and gives the Java scores on real (test) windows. */
    @Test
    public void exportedStudentMatchesJava() throws Exception {
        AutoencoderModel loaded = ModelFiles.load(out.resolve("student.tribuo"), AutoencoderModel.class);
        MultivariateSeries test = embeddedTest();
        SlidingWindows windows = new SlidingWindows(10, 1);
        int n = 500;
        int width = 10 * test.numVariables();
        float[][] rows = new float[n][width];
        float[] flat = new float[n * width];
        for (int w = 0; w < n; w++) {
            windows.windowValues(test, w * 11, rows[w]);
            System.arraycopy(rows[w], 0, flat, w * width, width);
        }
        double[] java = new double[n];
        loaded.scoreMatrix(flat, n, java);
        for (int w = 0; w < n; w++) {
            assertEquals(report.studentWindowScores[w * 11], java[w], 0.0, "loaded model differs at window " + w);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(out.resolve("student.onnx").toString(),
                new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, rows);
             OrtSession.Result result = session.run(Collections.singletonMap("input", input))) {
            float[][] onnx = (float[][]) result.get(0).getValue();
            for (int w = 0; w < n; w++) {
                assertEquals(java[w], onnx[w][0], 1e-4 * Math.max(Math.abs(java[w]), 1e-3), "window " + w);
            }
        }
    }

    /** The JSON report's provenance rebuilds the trainers, which retrain the same detector. */
    @Test
    public void retrainFromReportedProvenance() throws Exception {
        String json = Files.readString(out.resolve("report.json"));
        String key = "\"distilled_provenance\": ";
        int start = json.indexOf(key);
        assertTrue(start > 0, "distilled_provenance not found");
        // It is the report's last entry: everything up to the closing brace of the document.
        String provenanceJson = json.substring(start + key.length(), json.lastIndexOf('}')).trim();
        ModelProvenance provenance = (ModelProvenance) new JsonProvenanceSerialization(true)
                .deserializeAndUnmarshal(provenanceJson);
        assertEquals(report.pair.student().getProvenance(), provenance);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(provenance));
        DenseReconstructionDistillationTrainer trainer = (DenseReconstructionDistillationTrainer)
                cm.lookup("densereconstructiondistillationtrainer-0");
        MultivariateSeries train = SmdLoader.load(DemoCommandTest.embeddedDir(), "machine-1-2").train().slice(0, 3000);
        MutableDataset<Event> data = new SlidingWindows(10, 1).toDataset(train, "retrain");
        AutoencoderModel again = trainer.train(data);
        MultivariateSeries test = embeddedTest();
        SlidingWindows windows = new SlidingWindows(10, 1);
        int width = 10 * test.numVariables();
        float[] flat = new float[200 * width];
        float[] row = new float[width];
        for (int w = 0; w < 200; w++) {
            windows.windowValues(test, w, row);
            System.arraycopy(row, 0, flat, w * width, width);
        }
        double[] scores = new double[200];
        again.scoreMatrix(flat, 200, scores);
        assertArrayEquals(java.util.Arrays.copyOf(report.studentWindowScores, 200), scores);
    }

    @Test
    public void anotherConfigurationRuns(@TempDir Path dir) throws Exception {
        String config = String.join("\n",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<config>",
                "  <component name=\"teacher\" type=\"io.github.tribuokd.anomaly.DenseAutoencoderTrainer\">",
                "    <propertylist name=\"encoderSizes\"><item>32</item><item>8</item></propertylist>",
                "    <property name=\"epochs\" value=\"3\"/>",
                "  </component>",
                "  <component name=\"objective\" type=\"org.tribuo.regression.sgd.objectives.SquaredLoss\"/>",
                "  <component name=\"adagrad\" type=\"org.tribuo.math.optimisers.AdaGrad\">",
                "    <property name=\"initialLearningRate\" value=\"0.1\"/>",
                "  </component>",
                "  <component name=\"linear\" type=\"org.tribuo.regression.sgd.linear.LinearSGDTrainer\">",
                "    <property name=\"objective\" value=\"objective\"/>",
                "    <property name=\"optimiser\" value=\"adagrad\"/>",
                "    <property name=\"epochs\" value=\"5\"/>",
                "  </component>",
                "  <component name=\"kd\" type=\"io.github.tribuokd.anomaly.ScoreDistillationTrainer\">",
                "    <property name=\"teacher\" value=\"teacher\"/>",
                "    <property name=\"student\" value=\"linear\"/>",
                "  </component>",
                "</config>");
        Path file = dir.resolve("linear.xml");
        Files.writeString(file, config);
        DemoCommand.Report r = DemoCommand.run(DemoCommand.Options.parse(concat(SMALL, new String[]{
                "--config", file.toString(), "--trainer", "kd", "--out", dir.resolve("o").toString()})));
        assertTrue(r.markdown.contains("LinearSGDModel"), r.markdown);
        assertTrue(Files.exists(dir.resolve("o/student.onnx")));
    }

    @Test
    public void badInputGivesClearErrors() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, Main.run(new String[]{"demo", "--window", "0"}));
            assertEquals(2, Main.run(new String[]{"demo", "--bogus", "1"}));
            assertEquals(2, Main.run(new String[]{"nosuchcommand"}));
            assertEquals(1, Main.run(new String[]{"demo", "--data", "/nonexistent/dir", "--entity", "x"}));
        } finally {
            System.setErr(old);
        }
        String err = buf.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains("--window needs a positive integer"), err);
        assertTrue(err.contains("Unknown option --bogus"), err);
        assertTrue(err.contains("/nonexistent/dir"), err);
    }

    static Path embeddedDir() {
        return Path.of("src/main/resources/data/SMD");
    }

    static MultivariateSeries embeddedTest() throws Exception {
        return SmdLoader.load(embeddedDir(), "machine-1-2").test();
    }

    /** The report measures fidelity without labels and runs the two detectors that need no deep learning. */
    @Test
    @SuppressWarnings("unchecked")
    public void reportHasFidelityAndSimpleDetectors() {
        Map<String, Object> fidelity = (Map<String, Object>) report.json.get("fidelity");
        for (String set : new String[]{"calibration_tail", "exposed_held_aside"}) {
            Map<String, Object> f = (Map<String, Object>) fidelity.get(set);
            double rho = ((Number) f.get("spearman")).doubleValue();
            // The plain student keeps the teacher's order on normal windows; off them it extrapolates (any sign).
            assertTrue(set.equals("calibration_tail") ? rho > 0.5 && rho <= 1 : rho >= -1 && rho <= 1,
                    set + " rho " + rho);
            assertTrue(((Number) f.get("emd")).doubleValue() >= 0);
            assertEquals(299, ((Number) f.get("inputs")).intValue(), set);  // 10% of the 2,991 windows
        }
        Map<String, Object> baselines = (Map<String, Object>) report.json.get("baselines");
        for (String name : new String[]{"pca", "knn"}) {
            Map<String, Object> b = (Map<String, Object>) baselines.get(name);
            double auc = ((Number) b.get("roc_auc")).doubleValue();
            assertTrue(auc > 0.6 && auc <= 1, name + " ROC-AUC " + auc);
            assertTrue(b.containsKey("pak_area") && b.containsKey("f1_pointwise") && b.containsKey("training_seconds"));
            double vus = ((Number) b.get("vus_pr")).doubleValue();
            assertTrue(vus > 0 && vus <= 1, name + " VUS-PR " + vus);
        }
        assertTrue(report.markdown.contains("Fidelity (no labels)"), report.markdown);
        assertTrue(report.markdown.contains("| detector | VUS-PR | VUS-ROC | ROC-AUC |"), report.markdown);
    }

    /** {@code --entities} runs each entity into its own folder and averages them in the summary. */
    @Test
    @SuppressWarnings("unchecked")
    public void everyEntityInOneCommand(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        for (String name : new String[]{"machine-a", "machine-b"}) {
            for (String rel : new String[]{"train/%s.txt.gz", "test/%s.txt.gz", "test_label/%s.txt"}) {
                Path target = data.resolve(String.format(rel, name));
                Files.createDirectories(target.getParent());
                Files.copy(embeddedDir().resolve(String.format(rel, "machine-1-2")), target);
            }
        }
        Path o = dir.resolve("o");
        // Different row limits are not possible per entity, so both are the same machine: the same numbers twice.
        DemoSummary summary = DemoCommand.runEntities(DemoCommand.Options.parse(new String[]{"--data",
                data.toString(), "--entities", "all", "--max-train-rows", "1500", "--max-test-rows", "6000",
                "--no-baselines", "--out", o.toString()}));
        String json = Files.readString(o.resolve("summary.json"));
        assertTrue(json.contains("\"machine-a\"") && json.contains("\"machine-b\""), json);
        Map<String, Object> a = DemoSummaryTestSupport.readReport(o.resolve("machine-a/report.json"));
        assertEquals(DemoSummary.at(a, "teacher.roc_auc"), summary.mean("teacher.roc_auc"), 1e-12);
        assertEquals(0.0, summary.minDifference("student.roc_auc", "teacher.roc_auc")
                - (DemoSummary.at(a, "student.roc_auc") - DemoSummary.at(a, "teacher.roc_auc")), 1e-12);
        String md = Files.readString(o.resolve("summary.md"));
        assertTrue(md.contains("mean of 2") && md.contains("## ROC-AUC") && md.contains("Spearman"), md);
        assertTrue(md.contains("## VUS-PR") && md.contains("## VUS-ROC") && md.contains("by mean VUS-PR"), md);
        assertEquals(2, Main.run(new String[]{"demo", "--entities", "all"}));
        assertEquals(2, Main.run(new String[]{"demo", "--data", data.toString(), "--entities", "all", "--entity",
                "machine-a"}));
    }
}
