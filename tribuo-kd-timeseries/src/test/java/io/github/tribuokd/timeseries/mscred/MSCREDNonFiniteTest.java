package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.anomaly.NonFiniteScorePolicy;
import io.github.tribuokd.anomaly.nn.MSCREDNetwork;
import io.github.tribuokd.timeseries.MultivariateSeries;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23, point 1 for MSCRED: an input whose residual matrix is not finite used to count 0 entries above τ
 * ({@code |NaN| > τ} is false), hence EXPECTED.
 */
public class MSCREDNonFiniteTest {

    private static MSCREDModel teacher;
    private static MSCREDModel broken;
    private static MultivariateSeries test;

    @BeforeAll
    public static void train() {
        MultivariateSeries train = MSCREDTest.series("train", 300, 1L, -1, -1);
        test = MSCREDTest.series("test", 120, 2L, -1, -1);
        teacher = new MSCREDTrainer(20, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 1, 8, 3e-3, 3L, 1)
                .train(MSCREDTest.points(train));
        MSCREDNetwork net = teacher.networkCopy();
        float[] p = net.parameters();
        java.util.Arrays.fill(p, Float.NaN);
        net.setParameters(p);
        broken = new MSCREDModel("broken", teacher.getProvenance(), teacher.getFeatureIDMap(),
                teacher.getOutputIDInfo(), teacher.signature(), net, null, null, teacher.tau(),
                teacher.countThreshold(), teacher.trainingLoss(), teacher.standardizerOrNull());
    }

    @Test
    public void nonFiniteResidualsAreRefusedByDefault() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> broken.scoreSeries(test, 1));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("ending at time")
                && e.getMessage().contains("NonFiniteScorePolicy.ANOMALOUS"), e.getMessage());
        // two scoring threads: the error reaches the caller unwrapped
        IllegalStateException two = assertThrows(IllegalStateException.class, () -> broken.scoreSeries(test, 2));
        assertTrue(two.getMessage().contains("'broken'"), two.getMessage());
        List<Example<Event>> examples = new ArrayList<>();
        MSCREDTest.points(test).forEach(examples::add);
        assertThrows(IllegalStateException.class, () -> broken.predict(examples));
        MSCREDStream stream = broken.newStream();
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> {
            for (int t = 0; t < test.numSteps(); t++) {
                stream.push(row(test, t));
            }
        });
        assertTrue(s.getMessage().contains("ending at time"), s.getMessage());
    }

    @Test
    public void theAnomalousPolicyFlagsThem() {
        MSCREDModel flagging = broken.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS);
        assertSame(NonFiniteScorePolicy.ANOMALOUS, flagging.copy().nonFiniteScorePolicy());
        assertSame(NonFiniteScorePolicy.REFUSE, broken.nonFiniteScorePolicy());
        for (double score : flagging.scoreSeries(test, 2).inputScores()) {
            assertEquals(Double.POSITIVE_INFINITY, score);
        }
        List<Example<Event>> examples = new ArrayList<>();
        MSCREDTest.points(test).forEach(examples::add);
        for (Prediction<Event> p : flagging.predict(examples)) {
            assertEquals(Event.EventType.ANOMALOUS, p.getOutput().getType());
        }
        MSCREDStream stream = flagging.newStream();
        boolean scored = false;
        for (int t = 0; t < test.numSteps(); t++) {
            if (stream.push(row(test, t))) {
                scored = true;
                assertTrue(stream.isAnomalous());
            }
        }
        assertTrue(scored);
        // a sound model scores as before under either policy
        assertEquals(java.util.Arrays.toString(teacher.scoreSeries(test, 1).pointScores()), java.util.Arrays.toString(
                teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS).scoreSeries(test, 1).pointScores()));
    }

    /**
     * A finite point so large that the signature matrices (inner products) overflow is not scored as normal either;
     * one too large to standardise is refused as an input, whatever the policy.
     */
    @Test
    public void overflowingPointsAreNotNormal() {
        float[] v = test.valuesView().clone();
        v[60 * test.numVariables() + 2] = 3e38f;
        MultivariateSeries tooLarge = new MultivariateSeries("too-large", test.numSteps(), test.numVariables(), v);
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS).scoreSeries(tooLarge, 1));
        assertTrue(a.getMessage().contains("point 60, variable 2"), a.getMessage());
        v[60 * test.numVariables() + 2] = 1e20f;
        MultivariateSeries huge = new MultivariateSeries("huge", test.numSteps(), test.numVariables(), v);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> teacher.scoreSeries(huge, 1));
        assertTrue(e.getMessage().contains("ending at time"), e.getMessage());
        MSCREDModel.SeriesScores scores = teacher.withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS)
                .scoreSeries(huge, 1);
        int flagged = 0;
        for (int i = 0; i < scores.inputTimes().length; i++) {
            if (scores.inputTimes()[i] < 60) {
                assertTrue(Double.isFinite(scores.inputScores()[i]), "input " + i + " is before the point");
            } else if (scores.inputScores()[i] == Double.POSITIVE_INFINITY) {
                flagged++;
            }
        }
        assertTrue(flagged > 0, "the inputs reading point 60 are flagged");
    }

    private static float[] row(MultivariateSeries s, int t) {
        float[] x = new float[s.numVariables()];
        System.arraycopy(s.valuesView(), t * s.numVariables(), x, 0, x.length);
        return x;
    }
}
