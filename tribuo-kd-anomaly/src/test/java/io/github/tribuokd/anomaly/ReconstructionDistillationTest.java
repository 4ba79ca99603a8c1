package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.AdamOptimiser;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;
import org.tribuo.test.Helpers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ReconstructionDistillationTest {

    static ReconstructionDistillationTrainer kd(LSTMAutoencoderTrainer teacher, double alpha) {
        return new ReconstructionDistillationTrainer(teacher, 8, alpha, 1.5, 10, 16, new AdamOptimiser(5e-3), 11L,
                0.1, 0.95);
    }

    /** α = 0: the distillation loss is the plain reconstruction loss, so the student is plain training's model. */
    @Test
    public void alphaZeroIsPlainTraining() {
        MutableDataset<Event> train = LSTMAutoencoderTest.windows(200, 0, 21L);
        LSTMAutoencoderModel teacher = LSTMAutoencoderTest.trainer(1).train(train);
        LSTMAutoencoderModel distilled = kd(null, 0.0).distil(teacher, train);
        LSTMAutoencoderModel plain = new LSTMAutoencoderTrainer(8, 10, 16, new AdamOptimiser(5e-3), 11L, 0.1, 0.95)
                .train(train);
        MutableDataset<Event> test = LSTMAutoencoderTest.windows(30, 30, 22L);
        assertArrayEquals(plain.scores(test), distilled.scores(test));
        assertArrayEquals(plain.trainingLoss(), distilled.trainingLoss());
        assertEquals(plain.threshold(), distilled.threshold(), 0.0);
    }

    @Test
    public void distilledStudentDetectsAnomaliesAndNestsProvenance() {
        MutableDataset<Event> train = LSTMAutoencoderTest.windows(300, 0, 23L);
        ReconstructionDistillationTrainer trainer = kd(LSTMAutoencoderTest.trainer(2), 0.35);
        Helpers.testConfigurableRoundtrip(trainer);
        LSTMAutoencoderModel student = trainer.train(train);
        assertEquals(8, student.hiddenSize());
        MutableDataset<Event> test = LSTMAutoencoderTest.windows(100, 100, 24L);
        double auc = TestData.auc(student.scores(TestData.normals(test)), student.scores(TestData.anomalies(test)));
        assertTrue(auc > 0.85, "student ROC-AUC " + auc);
        String p = student.getProvenance().toString();
        assertTrue(p.contains("ReconstructionDistillationTrainer") && p.contains("LSTMAutoencoderTrainer")
                && p.contains(ReconstructionDistillationTrainer.TEACHER_MODEL_PROVENANCE), p);
        Helpers.testProvenanceMarshalling(student.getProvenance());
        // The teacher's term changes what the student learns.
        LSTMAutoencoderModel teacher = LSTMAutoencoderTest.trainer(2).train(train);
        double[] a0 = kd(null, 0.0).distil(teacher, train).scores(test);
        double[] a35 = kd(null, 0.35).distil(teacher, train).scores(test);
        assertFalse(java.util.Arrays.equals(a0, a35));
    }
}
