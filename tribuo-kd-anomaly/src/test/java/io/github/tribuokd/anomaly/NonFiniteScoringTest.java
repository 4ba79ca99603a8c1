package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.FeedForwardNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23, points 1 and 2: an input or a score that is not a finite number is never scored as normal, and an
 * example's features are checked slot by slot (a duplicate cannot stand in for a missing feature).
 */
public class NonFiniteScoringTest {

    private static final String[] NAMES = TestData.names(TestData.DIM);
    private static AutoencoderModel teacher;
    private static DistilledAnomalyModel student;
    private static MutableDataset<Event> test;

    @BeforeAll
    public static void train() {
        MutableDataset<Event> train = TestData.manifold(300, 0, 41L);
        teacher = DenseAutoencoderTest.trainer(1).train(train);
        student = new ScoreDistillationTrainer(null, ScoreDistillationTest.mlp()).withClippedStudentInputs(true)
                .distil(teacher, train);
        test = TestData.manifold(20, 20, 42L);
    }

    private static Example<Event> example(double[] values) {
        return new ArrayExample<>(new Event(Event.EventType.UNKNOWN), NAMES, values);
    }

    private static double[] normalRow() {
        double[] v = new double[TestData.DIM];
        Example<Event> e = test.getExample(0);
        for (int j = 0; j < v.length; j++) {
            v[j] = e.lookup(NAMES[j]).getValue();
        }
        return v;
    }

    /** 1e300 is a finite double but an infinite float: it used to give a NaN student score, hence EXPECTED. */
    @Test
    public void valuesBeyondTheFloatRangeAreRefusedNotScoredAsNormal() {
        double[] v = normalRow();
        v[3] = 1e300;
        for (AbstractScoredAnomalyModel model : List.of(teacher, student)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.predict(example(v)), model.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("'f03'") && e.getMessage().contains("1.0E300")
                    && e.getMessage().contains("float32"), e.getMessage());
            IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                    () -> model.predict(List.of(example(normalRow()), example(v))));
            assertTrue(batch.getMessage().startsWith("Example 1 "), batch.getMessage());
            // With the ANOMALOUS policy the example is flagged instead: score +Inf, ANOMALOUS.
            AbstractScoredAnomalyModel flagging = model.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS);
            assertSame(NonFiniteScorePolicy.ANOMALOUS, flagging.nonFiniteScorePolicy());
            assertSame(NonFiniteScorePolicy.ANOMALOUS, flagging.copy().nonFiniteScorePolicy());
            assertSame(NonFiniteScorePolicy.REFUSE, model.nonFiniteScorePolicy(), "the original is unchanged");
            Event flagged = flagging.predict(example(v)).getOutput();
            assertEquals(Event.EventType.ANOMALOUS, flagged.getType());
            assertEquals(Double.POSITIVE_INFINITY, flagged.getScore());
            double[] scores = flagging.scores(List.of(example(normalRow()), example(v)));
            assertEquals(model.score(example(normalRow())), scores[0], 0.0, "other rows score as before");
            assertEquals(Double.POSITIVE_INFINITY, scores[1]);
            v[3] = Double.NaN;
            assertEquals(Event.EventType.ANOMALOUS, flagging.predict(example(v)).getOutput().getType());
            v[3] = 1e300;
        }
    }

    /** The zero-copy routes check their raw float rows: the clipped student turned +Inf into its clip bound. */
    @Test
    public void rawMatrixAndSeriesInputsAreChecked() {
        float[] rows = FeatureMatrix.toMatrix(test, teacher.getFeatureIDMap());
        int n = test.size();
        int d = TestData.DIM;
        float[] bad = rows.clone();
        bad[5 * d + 2] = Float.POSITIVE_INFINITY;
        for (AbstractScoredAnomalyModel model : List.of(teacher, student)) {
            double[] out = new double[n];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.scoreMatrix(bad, n, out), model.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("row 5") && e.getMessage().contains("'f02'"), e.getMessage());
            double[] expected = new double[n];
            model.scoreMatrix(rows, n, expected);
            model.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS).scoreMatrix(bad, n, out);
            for (int r = 0; r < n; r++) {
                assertEquals(r == 5 ? Double.POSITIVE_INFINITY : expected[r], out[r], 0.0, "row " + r);
            }
        }
        // A series of 4 variables, windows of 2 steps: the NaN at step 7, variable 1 is in windows 6 and 7.
        float[] series = new float[12 * 4];
        for (int i = 0; i < series.length; i++) {
            series[i] = (float) Math.sin(i);
        }
        series[7 * 4 + 1] = Float.NaN;
        double[] out = new double[11];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> teacher.scoreSeries(series, 12, 4, 1, out));
        assertTrue(e.getMessage().contains("step 7 of variable 1"), e.getMessage());
        teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS).scoreSeries(series, 12, 4, 1, out);
        for (int w = 0; w < 11; w++) {
            assertEquals(w == 6 || w == 7, out[w] == Double.POSITIVE_INFINITY, "window " + w);
        }
    }

    /** Weights that are NaN make every score NaN, which used to be EXPECTED. */
    @Test
    public void nonFiniteScoresAreRefusedOrFlagged() {
        FeedForwardNetwork broken = teacher.network().copy();
        float[] p = broken.parameters();
        p[p.length - 1] = Float.NaN;
        broken.setParameters(p);
        AutoencoderModel nanModel = new AutoencoderModel("broken", teacher.getProvenance(),
                teacher.getFeatureIDMap(), teacher.getOutputIDInfo(), broken, teacher.standardizer(),
                teacher.threshold());
        Example<Event> normal = example(normalRow());
        IllegalStateException single = assertThrows(IllegalStateException.class, () -> nanModel.predict(normal));
        assertTrue(single.getMessage().contains("the score of the example is NaN")
                && single.getMessage().contains("'broken'"), single.getMessage());
        IllegalStateException batch = assertThrows(IllegalStateException.class,
                () -> nanModel.scores(List.of(normal, normal, normal)));
        assertTrue(batch.getMessage().contains("example 0"), batch.getMessage());
        float[] rows = FeatureMatrix.toMatrix(test, teacher.getFeatureIDMap());
        IllegalStateException matrix = assertThrows(IllegalStateException.class,
                () -> nanModel.scoreMatrix(rows, 3, new double[3]));
        assertTrue(matrix.getMessage().contains("row 0"), matrix.getMessage());
        AutoencoderModel flagging = nanModel.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS);
        List<Prediction<Event>> predictions = flagging.predict(test);
        for (Prediction<Event> pr : predictions) {
            assertEquals(Event.EventType.ANOMALOUS, pr.getOutput().getType());
            assertEquals(Double.POSITIVE_INFINITY, pr.getOutput().getScore());
        }
    }

    @Test
    public void aNonFiniteThresholdIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AutoencoderModel("t", teacher.getProvenance(), teacher.getFeatureIDMap(),
                        teacher.getOutputIDInfo(), teacher.network(), teacher.standardizer(), Double.NaN));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    }

    /**
     * A duplicated feature with one missing used to pass the count check, and the missing slot kept the previous
     * row's value from the thread's buffer.
     */
    @Test
    public void aDuplicateFeatureCannotStandInForAMissingOne() {
        double[] v = normalRow();
        teacher.score(example(v)); // leaves this row in the thread's buffer
        String[] names = NAMES.clone();
        names[5] = NAMES[4];
        Example<Event> duplicate = new ArrayExample<>(new Event(Event.EventType.UNKNOWN), names, v);
        for (AbstractScoredAnomalyModel model : List.of(teacher, student,
                teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.score(duplicate));
            assertTrue(e.getMessage().contains("'f04' more than once"), e.getMessage());
        }
        IllegalArgumentException mlp = assertThrows(IllegalArgumentException.class,
                () -> FeatureMatrix.toMatrix(List.of(example(v), duplicate), teacher.getFeatureIDMap()));
        assertTrue(mlp.getMessage().startsWith("Example 1 "), mlp.getMessage());
        // A missing feature is named.
        Example<Event> missing = new ArrayExample<>(new Event(Event.EventType.UNKNOWN),
                new String[]{"f00", "f01", "f02", "f03", "f04", "f06", "f07"},
                new double[]{1, 2, 3, 4, 5, 6, 7});
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> teacher.score(missing));
        assertTrue(m.getMessage().contains("missing: 'f05'"), m.getMessage());
        // fillRow writes every slot: the buffer's earlier content does not matter.
        float[] dest = new float[TestData.DIM];
        Arrays.fill(dest, 42f);
        FeatureMatrix.fillRow(example(v), teacher.getFeatureIDMap(), dest, 0, -1);
        for (int j = 0; j < dest.length; j++) {
            assertEquals((float) v[j], dest[j], 0f);
        }
    }
}
