package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.anomaly.TrainingData;
import io.github.tribuokd.anomaly.TrainingWarnings;
import io.github.tribuokd.timeseries.MultivariateSeries;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Degenerate training data for MSCRED's teacher and its LTA students, with the rules of every other trainer
 * (docs/RELIABILITY.md, "Runs and degenerate training"; {@link TrainingData}): too few signature-matrix inputs and a
 * constant series are refused, constant variables are kept with a warning, a count threshold above every fitting
 * input's count is capped with a warning; the warnings are in the model's provenance.
 */
public class MSCREDDegenerateTrainingTest {

    private static final int N = 6;
    private static final int L = 20;

    private static MSCREDTrainer teacher(int trainStride) {
        return new MSCREDTrainer(L, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 1, 8, 3e-3, 3L,
                trainStride);
    }

    private static LTADistillationTrainer student() {
        return new LTADistillationTrainer(null, L / 2, new int[]{4, 8}, 0.0, "GRU", 1, 8, 3e-3, 5L, 1)
                .withAccumulatorSize(8, 4);
    }

    /**
     * An unlabelled series of sines with noise; variables in {@code constant} hold 0.5 throughout; from
     * {@code noiseFrom} on, variables 0-2 are pure noise (the series' own tail, not labelled: a contaminated
     * calibration tail).
     */
    private static MutableDataset<Event> series(int steps, long seed, int noiseFrom, int... constant) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[steps * N];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < N; j++) {
                double x = Math.sin(2 * Math.PI * t / 25.0 + j * 0.4) + 0.05 * rng.nextGaussian();
                if (t >= noiseFrom && j < 3) {
                    x = 3 * rng.nextGaussian();
                }
                v[t * N + j] = (float) x;
            }
            for (int j : constant) {
                v[t * N + j] = 0.5f;
            }
        }
        return MSCREDTest.points(new MultivariateSeries("s", steps, N, v));
    }

    @Test
    public void tooFewSignatureMatrixInputsAreRefused() {
        int span = teacher(1).signature().inputSpan();
        // a series just long enough for a few inputs: they would train and calibrate on a handful of matrices
        MutableDataset<Event> shortSeries = series(span + 15, 1L, Integer.MAX_VALUE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> teacher(1).train(shortSeries));
        assertTrue(e.getMessage().startsWith("MSCREDTrainer: the " + (span + 15) + "-point training series gives ")
                && e.getMessage().contains("signature-matrix inputs of " + span + " points")
                && e.getMessage().contains("after the calibration tail of")
                && e.getMessage().contains("at least " + TrainingData.MIN_FIT_EXAMPLES + " fitting examples are"
                + " needed"), e.getMessage());
        // enough inputs, but every 8th leaves too few
        MutableDataset<Event> medium = series(span + 120, 1L, Integer.MAX_VALUE);
        IllegalArgumentException strided = assertThrows(IllegalArgumentException.class,
                () -> teacher(8).train(medium));
        assertTrue(strided.getMessage().contains("(every 8th input)")
                && strided.getMessage().contains("a smaller trainStride"), strided.getMessage());
        // the student counts its own inputs
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> student().distil(null, series(student().signature().inputSpan() + 15, 1L, Integer.MAX_VALUE)));
        assertTrue(s.getMessage().startsWith("LTADistillationTrainer: ")
                && s.getMessage().contains("at least " + TrainingData.MIN_FIT_EXAMPLES), s.getMessage());
    }

    @Test
    public void aConstantSeriesIsRefusedAndAConstantVariableWarned() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> teacher(1).train(series(400, 1L, Integer.MAX_VALUE, 0, 1, 2, 3, 4, 5)));
        assertTrue(e.getMessage().startsWith("MSCREDTrainer: every one of the 6 features is constant over the ")
                && e.getMessage().contains("fitting points") && e.getMessage().contains("nothing to learn"),
                e.getMessage());
        MutableDataset<Event> oneConstant = series(400, 1L, Integer.MAX_VALUE, 4);
        MSCREDModel model = teacher(1).train(oneConstant);
        List<String> warnings = TrainingWarnings.of(model);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("MSCREDTrainer: 1 of 6 features are constant over the ")
                && warnings.get(0).contains("v4") && warnings.get(0).contains("kept"), warnings.get(0));
        // the warning travels with the model file, and the student records its own
        MSCREDModel back = (MSCREDModel) Model.deserialize(model.serialize());
        assertEquals(warnings, TrainingWarnings.of(back));
        MSCREDModel studentModel = student().distil(model, oneConstant);
        assertTrue(TrainingWarnings.of(studentModel).stream().anyMatch(w -> w.startsWith("LTADistillationTrainer: 1"
                + " of 6 features are constant") && w.contains("v4")), TrainingWarnings.of(studentModel).toString());
        // clean data: no warning, and the provenance holds no warnings key at all
        MSCREDModel clean = teacher(1).train(series(400, 1L, Integer.MAX_VALUE));
        assertTrue(TrainingWarnings.of(clean).isEmpty(), TrainingWarnings.of(clean).toString());
        assertTrue(!clean.getProvenance().getInstanceProvenance().getMap()
                .containsKey(TrainingWarnings.PROVENANCE_KEY));
    }

    @Test
    public void aContaminatedTailIsCappedAndWarned() {
        // the last 10 % of the series (the calibration tail) is noise on three of the six variables
        MutableDataset<Event> contaminated = series(600, 2L, 560);
        MSCREDModel model = teacher(1).train(contaminated);
        List<String> warnings = TrainingWarnings.of(model);
        String capped = warnings.stream().filter(w -> w.contains("the threshold is capped at")).findFirst()
                .orElseThrow(() -> new AssertionError("no capping warning: " + warnings));
        assertTrue(capped.startsWith("MSCREDTrainer (count threshold): the calibration tail's 0.9900 quantile of"
                + " scores"), capped);
        Matcher m = Pattern.compile("capped at ([0-9.eE+-]+)").matcher(capped);
        assertTrue(m.find(), capped);
        assertEquals(Double.parseDouble(m.group(1)), model.countThreshold(), 1e-3 * Math.max(1,
                model.countThreshold()), capped);
        // the student, calibrated on the same tail, is capped too
        MSCREDModel studentModel = student().distil(model, contaminated);
        assertTrue(TrainingWarnings.of(studentModel).stream().anyMatch(w -> w.startsWith(
                "LTADistillationTrainer (count threshold)") && w.contains("capped")),
                TrainingWarnings.of(studentModel).toString());
    }
}
