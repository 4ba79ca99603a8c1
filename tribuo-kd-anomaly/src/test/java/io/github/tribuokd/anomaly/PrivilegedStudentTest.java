package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A score-regression student that sees fewer features than its teacher (privileged information at training time,
 * {@code ScoreDistillationTrainer.studentFeatures}).
 */
public class PrivilegedStudentTest {

    /** The student's sensors: f00, f02, f03, f05, f07 of the eight. */
    private static final List<String> SUBSET = List.of("f00", "f02", "f03", "f05", "f07");

    private static ScoreDistillationTrainer privileged() {
        return new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(3), ScoreDistillationTest.mlp())
                .withStudentFeatures(SUBSET);
    }

    /** Examples that carry only the named features of the given ones. */
    private static List<Example<Event>> only(List<Example<Event>> examples, List<String> names) {
        List<Example<Event>> out = new ArrayList<>();
        for (Example<Event> e : examples) {
            ArrayExample<Event> copy = new ArrayExample<>(e.getOutput());
            for (Feature f : e) {
                if (names.contains(f.getName())) {
                    copy.add(f.getName(), f.getValue());
                }
            }
            out.add(copy);
        }
        return out;
    }

    private static List<Example<Event>> examples(MutableDataset<Event> data) {
        List<Example<Event>> out = new ArrayList<>();
        data.forEach(out::add);
        return out;
    }

    @Test
    public void studentReadsOnlyItsFeaturesAndFollowsTheTeacher() {
        MutableDataset<Event> train = TestData.heavyTailed(1500, 0, 11L);
        ScoreDistillationTrainer kd = privileged();
        TeacherStudentPair<DistilledAnomalyModel> pair = kd.trainTeacherAndStudent(train,
                java.util.Collections.emptyMap(), Trainer.INCREMENT_INVOCATION_COUNT);
        DistilledAnomalyModel student = pair.student();
        assertEquals(SUBSET.size(), student.getFeatureIDMap().size());
        for (int i = 0; i < SUBSET.size(); i++) {
            assertEquals(SUBSET.get(i), student.getFeatureIDMap().get(i).getName());
        }
        MutableDataset<Event> test = TestData.heavyTailed(200, 200, 12L);
        List<Example<Event>> all = new ArrayList<>();
        test.forEach(all::add);
        // The student scores examples of its sensors alone; one more feature is refused, by name.
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> student.scores(all));
        assertTrue(unknown.getMessage().contains("'f01'"), unknown.getMessage());
        assertEquals(SUBSET.size(), only(all, SUBSET).get(0).size());
        // The anomaly direction u is seen on every feature, so five sensors keep the teacher's ranking.
        AutoencoderModel teacher = (AutoencoderModel) pair.teacher();
        double studentAuc = TestData.auc(student.scores(only(TestData.normals(test), SUBSET)),
                student.scores(only(TestData.anomalies(test), SUBSET)));
        double teacherAuc = TestData.auc(teacher.scores(TestData.normals(test)),
                teacher.scores(TestData.anomalies(test)));
        assertTrue(studentAuc > teacherAuc - 0.05, "privileged student " + studentAuc + " vs teacher " + teacherAuc);
        assertTrue(studentAuc > 0.9, "privileged student ROC-AUC " + studentAuc);
        // Its log scores follow the teacher's on normal data (0.54 measured; a student on all eight features
        // reaches more than 0.7, ScoreDistillationTest; misaligned columns would give about 0).
        double[] t = teacher.scores(TestData.normals(test));
        double[] s = student.scores(only(TestData.normals(test), SUBSET));
        double mean = 0;
        for (double v : t) {
            mean += Math.log(v + 1e-6) / t.length;
        }
        double ssTot = 0, ssRes = 0;
        for (int i = 0; i < t.length; i++) {
            double lt = Math.log(t[i] + 1e-6);
            ssTot += (lt - mean) * (lt - mean);
            ssRes += (lt - Math.log(Math.max(s[i], 0) + 1e-6)) * (lt - Math.log(Math.max(s[i], 0) + 1e-6));
        }
        assertTrue(1 - ssRes / ssTot > 0.45, "R2 of log scores " + (1 - ssRes / ssTot));
    }

    @Test
    public void differsFromAStudentOnEveryFeature() {
        MutableDataset<Event> train = TestData.heavyTailed(600, 0, 13L);
        AutoencoderModel teacher = DenseAutoencoderTest.trainer(3).train(train);
        List<Example<Event>> probe = TestData.normals(TestData.heavyTailed(50, 0, 14L));
        double[] full = new ScoreDistillationTrainer(null, ScoreDistillationTest.mlp()).distil(teacher, train)
                .scores(probe);
        double[] subset = new ScoreDistillationTrainer(null, ScoreDistillationTest.mlp())
                .withStudentFeatures(SUBSET).distil(teacher, train).scores(only(probe, SUBSET));
        assertTrue(!java.util.Arrays.equals(full, subset));
    }

    @Test
    public void retrainFromProvenanceGivesTheSameScores() {
        MutableDataset<Event> train = TestData.manifold(500, 0, 15L);
        ScoreDistillationTrainer kd = privileged();
        Helpers.testConfigurableRoundtrip(kd);
        DistilledAnomalyModel model = kd.train(train);
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(model.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        @SuppressWarnings("unchecked")
        Trainer<Event> rebuilt = (Trainer<Event>) cm.lookup("scoredistillationtrainer-0");
        assertNotNull(rebuilt);
        assertEquals(SUBSET, ((ScoreDistillationTrainer) rebuilt).studentFeatures());
        Model<Event> again = rebuilt.train(train);
        List<Example<Event>> test = only(examples(TestData.manifold(50, 50, 16L)), SUBSET);
        assertArrayEquals(model.scores(test), ((DistilledAnomalyModel) again).scores(test));
    }

    @Test
    public void protobufAndOnnxRoundTrip(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = TestData.heavyTailed(600, 0, 17L);
        DistilledAnomalyModel model = privileged().train(train);
        List<Example<Event>> sample = only(examples(TestData.heavyTailed(40, 40, 18L)), SUBSET);
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> test = new MutableDataset<>(new SimpleDataSourceProvenance("subset", factory), factory);
        test.addAll(sample);
        Model<Event> copy = Helpers.testModelProtoSerialization(model, Event.class, test);
        assertArrayEquals(model.scores(test), ((DistilledAnomalyModel) copy).scores(test));
        Path file = dir.resolve("privileged.onnx");
        model.saveONNXModel("io.github.tribuokd.test", 1, file);
        OnnxCheck.assertDetectorMatches(file, model, sample, "privileged student");
    }

    @Test
    public void unknownOrRepeatedFeaturesAreRefused() {
        MutableDataset<Event> train = TestData.manifold(200, 0, 19L);
        ScoreDistillationTrainer unknown = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(1),
                ScoreDistillationTest.mlp()).withStudentFeatures(List.of("f00", "pressure"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> unknown.train(train));
        assertTrue(e.getMessage().contains("'pressure'") && e.getMessage().contains("8 features"), e.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new ScoreDistillationTrainer(null, ScoreDistillationTest.mlp())
                        .withStudentFeatures(List.of("f01", "f01")));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    public void aConstantSubsetIsRefused() {
        // f00 varies; f01 and f02 are constant: a student on f01, f02 alone has nothing to learn.
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> train = new MutableDataset<>(new SimpleDataSourceProvenance("constant", factory),
                factory);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            train.add(new ArrayExample<>(new Event(Event.EventType.EXPECTED), new String[]{"f00", "f01", "f02"},
                    new double[]{rng.nextGaussian(), 1, 2}));
        }
        ScoreDistillationTrainer kd = new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(1),
                ScoreDistillationTest.mlp()).withStudentFeatures(List.of("f01", "f02"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kd.train(train));
        assertTrue(e.getMessage().contains("constant"), e.getMessage());
    }

    @Test
    public void reconstructionStudentOnTheSubset(@TempDir Path dir) throws Exception {
        MutableDataset<Event> train = TestData.heavyTailed(1500, 0, 21L);
        DenseReconstructionDistillationTrainer kd = new DenseReconstructionDistillationTrainer(
                DenseAutoencoderTest.trainer(3), new int[]{3}, io.github.tribuokd.nn.Activation.TANH, 1.0, 1.0, 60,
                32, new io.github.tribuokd.nn.AdamOptimiser(0.005), 3L, 0.1, 0.99).withStudentFeatures(SUBSET);
        Helpers.testConfigurableRoundtrip(kd);
        TeacherStudentPair<AutoencoderModel> pair = kd.trainTeacherAndStudent(train,
                java.util.Collections.emptyMap(), Trainer.INCREMENT_INVOCATION_COUNT);
        AutoencoderModel student = pair.student();
        AutoencoderModel teacher = (AutoencoderModel) pair.teacher();
        assertEquals(SUBSET.size(), student.getFeatureIDMap().size());
        assertEquals(SUBSET.size(), student.layerSizes()[0]);
        // The student standardises its features as the teacher does.
        for (int j = 0; j < SUBSET.size(); j++) {
            int c = teacher.getFeatureIDMap().getID(SUBSET.get(j));
            assertEquals(teacher.standardizer().mean()[c], student.standardizer().mean()[j]);
            assertEquals(teacher.standardizer().scale()[c], student.standardizer().scale()[j]);
        }
        MutableDataset<Event> test = TestData.heavyTailed(200, 200, 22L);
        double auc = TestData.auc(student.scores(only(TestData.normals(test), SUBSET)),
                student.scores(only(TestData.anomalies(test), SUBSET)));
        assertTrue(auc > 0.9, "reconstruction student on five sensors: ROC-AUC " + auc);
        assertThrows(IllegalArgumentException.class, () -> student.scores(TestData.normals(test)));
        List<Example<Event>> sample = only(examples(test), SUBSET);
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> subsetTest = new MutableDataset<>(new SimpleDataSourceProvenance("subset", factory),
                factory);
        subsetTest.addAll(sample);
        Model<Event> copy = Helpers.testModelProtoSerialization(student, Event.class, subsetTest);
        assertArrayEquals(student.scores(subsetTest), ((AutoencoderModel) copy).scores(subsetTest));
        Path file = dir.resolve("privileged-ae.onnx");
        student.saveONNXModel("io.github.tribuokd.test", 1, file);
        OnnxCheck.assertDetectorMatches(file, student, sample, "privileged reconstruction student");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new DenseReconstructionDistillationTrainer(null, new int[]{3},
                        io.github.tribuokd.nn.Activation.TANH, 1.0, 1.0, 5, 32,
                        new io.github.tribuokd.nn.AdamOptimiser(0.005), 3L, 0.1, 0.99)
                        .withStudentFeatures(List.of("f00", "nope")).distil(teacher, train));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    }
}
