package io.github.tribuokd.anomaly.classification;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftTargetDistillationTest {

    private static MLPClassificationTrainer student(long seed) {
        return new MLPClassificationTrainer(new int[]{8}, Activation.TANH, 0.1, 30, 32, new AdamOptimiser(1e-2), seed);
    }

    @Test
    void alphaZeroIsPlainTrainingBitForBit() {
        MutableDataset<Label> train = Blobs.threeClasses(450, 1L);
        MLPClassificationModel plain = student(7L).train(train);
        MLPClassificationModel distilled = new SoftTargetDistillationTrainer(new LogisticRegressionTrainer(),
                student(7L), 0.0, 3.0).train(train);
        for (Example<Label> e : Blobs.threeClasses(150, 2L)) {
            assertArrayEquals(plain.logits(e), distilled.logits(e));
        }
        // and α > 0 changes the student
        MLPClassificationModel soft = new SoftTargetDistillationTrainer(new LogisticRegressionTrainer(),
                student(7L), 0.5, 3.0).train(train);
        assertTrue(!java.util.Arrays.equals(plain.logits(train.getExample(0)), soft.logits(train.getExample(0))));
    }

    @Test
    void distilsALogisticRegressionTeacherWithNestedProvenance() {
        MutableDataset<Label> train = Blobs.threeClasses(600, 1L);
        MutableDataset<Label> test = Blobs.threeClasses(600, 2L);
        LogisticRegressionTrainer lr = new LogisticRegressionTrainer();
        SoftTargetDistillationTrainer kd = new SoftTargetDistillationTrainer(lr, student(5L), 0.7, 2.0);
        MLPClassificationModel model = kd.train(train);
        Model<Label> teacher = new LogisticRegressionTrainer().train(train);
        double studentAccuracy = Blobs.accuracy(model, test);
        double teacherAccuracy = Blobs.accuracy(teacher, test);
        assertTrue(studentAccuracy > 0.85 && studentAccuracy > teacherAccuracy - 0.03,
                "student " + studentAccuracy + ", teacher " + teacherAccuracy);
        int agree = 0;
        for (Example<Label> e : test) {
            agree += model.predict(e).getOutput().getLabel().equals(teacher.predict(e).getOutput().getLabel()) ? 1 : 0;
        }
        assertTrue(agree > 0.9 * test.size(), "agreement " + agree + " of " + test.size());

        ModelProvenance provenance = model.getProvenance();
        TrainerProvenance trainer = provenance.getTrainerProvenance();
        assertEquals(SoftTargetDistillationTrainer.class.getName(), trainer.getClassName());
        Provenance teacherTrainer = trainer.getConfiguredParameters().get("teacher");
        assertTrue(teacherTrainer instanceof TrainerProvenance, String.valueOf(teacherTrainer));
        assertEquals(LogisticRegressionTrainer.class.getName(), ((TrainerProvenance) teacherTrainer).getClassName());
        Provenance studentTrainer = trainer.getConfiguredParameters().get("student");
        assertEquals(MLPClassificationTrainer.class.getName(), ((TrainerProvenance) studentTrainer).getClassName());
        assertEquals("0.7", trainer.getConfiguredParameters().get("alpha").toString());
        assertEquals("2.0", trainer.getConfiguredParameters().get("temperature").toString());
        assertEquals("0.0", trainer.getConfiguredParameters().get("lambda").toString());
        Provenance teacherModel = provenance.getInstanceProvenance().getMap().get(SoftTargetDistillationTrainer.TEACHER_MODEL);
        assertTrue(teacherModel instanceof ModelProvenance);
        assertEquals(((TrainerProvenance) teacherTrainer).getClassName(),
                ((ModelProvenance) teacherModel).getTrainerProvenance().getClassName());

        // the provenance rebuilds the trainer, which trains the same student
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(provenance);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        String name = ProvenanceUtil.computeName(trainer, 0);
        @SuppressWarnings("unchecked")
        Trainer<Label> rebuilt = (Trainer<Label>) cm.lookup(name);
        assertNotNull(rebuilt);
        MLPClassificationModel again = (MLPClassificationModel) rebuilt.train(train);
        for (Example<Label> e : test) {
            assertArrayEquals(model.logits(e), again.logits(e));
        }
    }

    @Test
    void distilsATrainedTeacherAndTheGeneralizedTerm() {
        MutableDataset<Label> train = Blobs.threeClasses(600, 1L);
        MutableDataset<Label> test = Blobs.threeClasses(300, 2L);
        Model<Label> teacher = new LogisticRegressionTrainer().train(train);
        SoftTargetDistillationTrainer kd = new SoftTargetDistillationTrainer(null, student(5L), 0.3, 2.0, 0.3);
        MLPClassificationModel model = kd.distil(teacher, train);
        assertTrue(Blobs.accuracy(model, test) > 0.85, "accuracy " + Blobs.accuracy(model, test));
        assertEquals(teacher.getProvenance(),
                model.getProvenance().getInstanceProvenance().getMap().get(SoftTargetDistillationTrainer.TEACHER_MODEL));
        assertEquals(1, kd.getInvocationCount());
        assertThrows(IllegalStateException.class, () -> kd.train(train), "no teacher trainer");
    }

    @Test
    void teacherLogitsAreLnPOrTheScores() {
        MutableDataset<Label> train = Blobs.threeClasses(90, 1L);
        Model<Label> lr = new LogisticRegressionTrainer().train(train);
        float[] z = SoftTargetDistillationTrainer.teacherLogits(lr, train, train.getOutputIDInfo());
        ImmutableOutputInfo<Label> info = train.getOutputIDInfo();
        Prediction<Label> p = lr.predict(train.getExample(4));
        for (int id = 0; id < 3; id++) {
            String name = info.getOutput(id).getLabel();
            assertEquals((float) Math.log(p.getOutputScores().get(name).getScore()), z[4 * 3 + id]);
        }
        Model<Label> margins = new StubTeacher(lr, true, false);
        float[] s = SoftTargetDistillationTrainer.teacherLogits(margins, train, train.getOutputIDInfo());
        for (int id = 0; id < 3; id++) {
            assertEquals((float) (id + 0.5 * 4), s[4 * 3 + info.getID(new Label(StubTeacher.NAMES[id]))]);
        }
    }

    @Test
    void clearErrors() {
        MutableDataset<Label> train = Blobs.threeClasses(90, 1L);
        SoftTargetDistillationTrainer kd = new SoftTargetDistillationTrainer(new LogisticRegressionTrainer(),
                student(1L), 0.5, 2.0);
        // one class
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kd.train(Blobs.make(40, new String[]{"A"}, 1, 1L)));
        assertTrue(e.getMessage().contains("at least two"), e.getMessage());
        // a teacher without scores
        Model<Label> lr = new LogisticRegressionTrainer().train(train);
        e = assertThrows(IllegalArgumentException.class, () -> kd.distil(new StubTeacher(lr, false, false), train));
        assertTrue(e.getMessage().contains("gives no scores"), e.getMessage());
        assertEquals(0, kd.getInvocationCount(), "a refused teacher is not an invocation");
        assertEquals(0, kd.student().getInvocationCount());
        // mismatched label domains
        Model<Label> twoClass = new LogisticRegressionTrainer().train(Blobs.make(60, new String[]{"A", "B"}, 2, 3L));
        e = assertThrows(IllegalArgumentException.class, () -> kd.distil(twoClass, train));
        assertTrue(e.getMessage().contains("teacher's labels [A, B] differ from the data's [A, B, C]"),
                e.getMessage());
        // probabilities that are not
        e = assertThrows(IllegalArgumentException.class, () -> kd.distil(new StubTeacher(lr, true, true), train));
        assertTrue(e.getMessage().contains("not in [0, 1]"), e.getMessage());
        // non-finite inputs are refused before the teacher trains
        MutableDataset<Label> inf = Blobs.threeClasses(30, 1L);
        MutableDataset<Label> bad = new MutableDataset<>(inf.getProvenance(), inf.getOutputFactory());
        for (Example<Label> ex : inf) {
            bad.add(ex);
        }
        bad.add(new org.tribuo.impl.ArrayExample<>(new Label("A"), Blobs.FEATURES,
                new double[]{0, 1e300, 0, 0}));
        int teacherRuns = ((Trainer<Label>) kd.teacher()).getInvocationCount();
        e = assertThrows(IllegalArgumentException.class, () -> kd.train(bad));
        assertTrue(e.getMessage().contains("beyond the float32 range"), e.getMessage());
        assertEquals(teacherRuns, kd.teacher().getInvocationCount());
        // settings
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetDistillationTrainer(null, student(1L), 1.5, 2));
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetDistillationTrainer(null, student(1L), 0.5, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SoftTargetDistillationTrainer(null, student(1L), 0.6, 2, 0.6));
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetDistillationTrainer(null, null, 0.5, 2));
    }

    /**
     * A teacher for the error paths: predicts label A; without scores, with scores {@code id + 0.5·row} that are
     * not probabilities, or claiming probabilities it does not give.
     */
    private static final class StubTeacher extends Model<Label> {
        private static final long serialVersionUID = 1L;
        static final String[] NAMES = {"A", "B", "C"};
        private final boolean scores;
        private final boolean lying;
        private int row;

        StubTeacher(Model<Label> like, boolean scores, boolean lying) {
            super("stub", like.getProvenance(), like.getFeatureIDMap(), like.getOutputIDInfo(), lying);
            this.scores = scores;
            this.lying = lying;
        }

        @Override
        public Prediction<Label> predict(Example<Label> example) {
            if (!scores) {
                return new Prediction<>(new Label("A"), example.size(), example);
            }
            Map<String, Label> map = new HashMap<>();
            for (int id = 0; id < NAMES.length; id++) {
                map.put(NAMES[id], new Label(NAMES[id], lying ? 2.0 : id + 0.5 * row));
            }
            row++;
            return new Prediction<>(new Label("A"), map, example.size(), example, lying);
        }

        @Override
        public List<Prediction<Label>> predict(Iterable<Example<Label>> examples) {
            row = 0;
            return super.predict(examples);
        }

        @Override
        public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
            return Collections.emptyMap();
        }

        @Override
        public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
            return Optional.empty();
        }

        @Override
        protected Model<Label> copy(String newName, ModelProvenance newProvenance) {
            return this;
        }
    }
}
