package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SlidingWindows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.test.Helpers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MSCRED teacher and Long-Term Accumulator students (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)) on a small synthetic series: six correlated
 * sinusoids; in the test series the correlation of three variables breaks for 60 points.
 */
public class MSCREDTest {

    private static final int N = 6;
    private static final int L = 20;
    private static MultivariateSeries train;
    private static MultivariateSeries test;
    private static MSCREDModel teacher;

    static MultivariateSeries series(String name, int steps, long seed, int anomalyFrom, int anomalyTo) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[steps * N];
        int[] labels = new int[steps];
        for (int t = 0; t < steps; t++) {
            double phase = 2 * Math.PI * t / 25.0;
            boolean anomaly = t >= anomalyFrom && t < anomalyTo;
            labels[t] = anomaly ? 1 : 0;
            for (int j = 0; j < N; j++) {
                double x = Math.sin(phase + j * 0.4) + 0.05 * rng.nextGaussian();
                if (anomaly && j < 3) {
                    x = rng.nextGaussian();
                }
                v[t * N + j] = (float) x;
            }
        }
        return new MultivariateSeries(name, steps, N, v, labels);
    }

    static MutableDataset<Event> points(MultivariateSeries s) {
        return new SlidingWindows(1, 1).toDataset(s, s.name());
    }

    static MSCREDTrainer teacherTrainer() {
        return new MSCREDTrainer(L, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 6, 8, 3e-3, 3L, 1);
    }

    @BeforeAll
    public static void trainTeacher() {
        train = series("train", 1500, 1L, -1, -1);
        test = series("test", 600, 2L, 300, 360);
        teacher = teacherTrainer().train(points(train));
    }

    /** Mean point score inside the anomaly over the mean outside. */
    private static double contrast(double[] scores) {
        double in = 0;
        double out = 0;
        int nIn = 0;
        int nOut = 0;
        for (int t = L; t < scores.length; t++) {
            if (t >= 300 && t < 360) {
                in += scores[t];
                nIn++;
            } else {
                out += scores[t];
                nOut++;
            }
        }
        return (in / nIn) / Math.max(1e-9, out / nOut);
    }

    @Test
    public void teacherFlagsTheBrokenCorrelation(@TempDir Path dir) throws Exception {
        double[] loss = teacher.trainingLoss();
        assertTrue(loss[loss.length - 1] < loss[0], "training loss must fall");
        double[] scores = teacher.scoreSeries(test, 2).pointScores();
        assertTrue(contrast(scores) > 3, "anomalous points must score higher: contrast " + contrast(scores));
        double[] energies = teacher.scoreSeries(test, 2).pointEnergies();
        assertTrue(contrast(energies) > 3, "the residual energy must rise too: contrast " + contrast(energies));
        // Scoring every second input gives every second input's scores.
        MSCREDModel.SeriesScores all = teacher.scoreSeries(test, 1);
        MSCREDModel.SeriesScores half = teacher.scoreSeries(test, 1, 2);
        for (int i = 0; i < half.inputScores().length; i++) {
            assertEquals(all.inputScores()[2 * i], half.inputScores()[i]);
            assertEquals(all.inputTimes()[2 * i], half.inputTimes()[i]);
        }
        // Tribuo predict over the series in order gives the same scores; a single example is refused.
        List<Example<Event>> examples = new ArrayList<>();
        points(test).forEach(examples::add);
        List<Prediction<Event>> predictions = teacher.predict(examples);
        for (int t = 0; t < scores.length; t++) {
            assertEquals(scores[t], predictions.get(t).getOutput().getScore());
        }
        assertThrows(UnsupportedOperationException.class, () -> teacher.predict(examples.get(0)));
        // Protobuf round trip and provenance.
        Path file = dir.resolve("teacher.tribuo");
        teacher.serializeToFile(file);
        MSCREDModel back = (MSCREDModel) Model.deserializeFromFile(file);
        assertArrayEquals(scores, back.scoreSeries(test, 1).pointScores());
        Helpers.testProvenanceMarshalling(teacher.getProvenance());
        Helpers.testConfigurableRoundtrip(teacherTrainer());
    }

    /**
     * Tribuo's batch predict reads a time-ordered batch as one contiguous series (the same scores and decisions as
     * scoreSeries, for the whole test series, a stretch of it and a Dataset); a single example, a batch shorter than
     * one input and an example without the model's features are refused with messages that say what to do.
     */
    @Test
    public void predictScoresATimeOrderedBatchAndRefusesASingleExample() {
        MutableDataset<Event> testPoints = points(test);
        List<Example<Event>> examples = new ArrayList<>();
        testPoints.forEach(examples::add);
        double[] expected = teacher.scoreSeries(test, 1).pointScores();
        List<Prediction<Event>> predictions = teacher.predict(examples);
        List<Prediction<Event>> fromDataset = teacher.predict(testPoints);
        assertEquals(examples.size(), predictions.size());
        int anomalous = 0;
        for (int t = 0; t < expected.length; t++) {
            Event e = predictions.get(t).getOutput();
            assertEquals(expected[t], e.getScore(), "point " + t);
            assertEquals(expected[t] > teacher.countThreshold() ? Event.EventType.ANOMALOUS
                    : Event.EventType.EXPECTED, e.getType(), "point " + t);
            assertEquals(e.getScore(), fromDataset.get(t).getOutput().getScore());
            assertEquals(e.getType(), fromDataset.get(t).getOutput().getType());
            anomalous += e.getType() == Event.EventType.ANOMALOUS ? 1 : 0;
        }
        assertTrue(anomalous > 0, "the broken correlation must raise some ANOMALOUS points");
        // A stretch of the series is a series of its own: its first input ends span − 1 points into it.
        int span = teacher.signature().inputSpan();
        int from = 250;
        int to = 400;
        List<Prediction<Event>> stretch = teacher.predict(examples.subList(from, to));
        double[] stretchExpected = teacher.scoreSeries(test.slice(from, to), 1).pointScores();
        assertEquals(to - from, stretch.size());
        for (int i = 0; i < stretch.size(); i++) {
            assertEquals(stretchExpected[i], stretch.get(i).getOutput().getScore(), "stretch point " + i);
        }
        // Where the stretch's inputs lie inside the whole series' grid, the scores are the same numbers.
        MSCREDModel.SeriesScores whole = teacher.scoreSeries(test, 1);
        MSCREDModel.SeriesScores part = teacher.scoreSeries(test.slice(from, to), 1);
        int matched = 0;
        for (int i = 0; i < part.inputTimes().length; i++) {
            int t = part.inputTimes()[i] + from;
            for (int j = 0; j < whole.inputTimes().length; j++) {
                if (whole.inputTimes()[j] == t) {
                    assertEquals(whole.inputScores()[j], part.inputScores()[i], "input at " + t);
                    matched++;
                }
            }
        }
        assertTrue(matched > 0, "no input time shared");
        // A single example: refused, saying what to use instead.
        UnsupportedOperationException single = assertThrows(UnsupportedOperationException.class,
                () -> teacher.predict(examples.get(400)));
        assertTrue(single.getMessage().contains("predict(Iterable)") && single.getMessage().contains("newStream()")
                && single.getMessage().contains(String.valueOf(span)), single.getMessage());
        // Too few points for one input: refused with the number needed.
        IllegalArgumentException shortBatch = assertThrows(IllegalArgumentException.class,
                () -> teacher.predict(examples.subList(0, span - 1)));
        assertTrue(shortBatch.getMessage().contains("at least " + span) && shortBatch.getMessage().contains(
                "newStream()"), shortBatch.getMessage());
        assertEquals(span, teacher.predict(examples.subList(0, span)).size());
        // An example without one of the model's variables: refused, naming it.
        List<Example<Event>> broken = new ArrayList<>(examples.subList(0, 2 * span));
        org.tribuo.impl.ArrayExample<Event> partial = new org.tribuo.impl.ArrayExample<>(new Event(
                Event.EventType.UNKNOWN));
        Example<Event> full = broken.get(span);
        int k = 0;
        for (org.tribuo.Feature f : full) {
            if (k++ > 0) {
                partial.add(f.getName(), f.getValue());
            }
        }
        broken.set(span, partial);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> teacher.predict(broken));
        assertTrue(missing.getMessage().contains("Example " + span) && missing.getMessage().contains("missing"),
                missing.getMessage());
    }

    @Test
    public void everyStudentVariantTrainsAndTheFullOneStreams(@TempDir Path dir) throws Exception {
        MutableDataset<Event> data = points(train);
        String[] accumulators = {"none", "none", "GRU", "LSTM"};
        double[] lambdas = {0.0, 0.5, 0.0, 0.5};
        for (int v = 0; v < accumulators.length; v++) {
            LTADistillationTrainer kd = new LTADistillationTrainer(null, L / 2, new int[]{4, 8}, lambdas[v],
                    accumulators[v], 4, 8, 3e-3, 5L, 1).withAccumulatorSize(8, 4);
            MSCREDModel student = kd.distil(teacher, data);
            assertTrue(student.numParameters() < teacher.numParameters(), "the student is smaller: "
                    + student.numParameters() + " vs " + teacher.numParameters());
            assertEquals(!accumulators[v].equals("none"), student.hasAccumulator());
            double[] scores = student.scoreSeries(test, 2).pointScores();
            assertTrue(contrast(scores) > 1.5, accumulators[v] + " lambda " + lambdas[v] + ": contrast "
                    + contrast(scores));
            if (v == 3) {
                // The stream scores each input exactly as the batch path does, with bounded state.
                MSCREDModel.SeriesScores batch = student.scoreSeries(test, 2);
                MSCREDStream stream = student.newStream();
                float[] point = new float[N];
                float[] values = test.valuesView();
                List<Double> streamed = new ArrayList<>();
                long bytes = -1;
                for (int t = 0; t < test.numSteps(); t++) {
                    System.arraycopy(values, t * N, point, 0, N);
                    if (stream.push(point)) {
                        streamed.add(stream.lastScore());
                    }
                    if (t == 100) {
                        bytes = stream.stateBytes();
                    }
                }
                double[] expected = batch.inputScores();
                assertEquals(expected.length, streamed.size());
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], streamed.get(i), "input " + i);
                }
                // A stream ten times longer than the training series keeps the same state size.
                MultivariateSeries longSeries = series("long", 10 * train.numSteps(), 9L, -1, -1);
                float[] lv = longSeries.valuesView();
                for (int t = 0; t < longSeries.numSteps(); t++) {
                    System.arraycopy(lv, t * N, point, 0, N);
                    stream.push(point);
                }
                assertEquals(bytes, stream.stateBytes());
                assertEquals(LongTermAccumulator.Cell.LSTM, student.accumulatorCell());
                Path file = dir.resolve("student.tribuo");
                student.serializeToFile(file);
                MSCREDModel back = (MSCREDModel) Model.deserializeFromFile(file);
                assertArrayEquals(batch.pointScores(), back.scoreSeries(test, 2).pointScores());
                Helpers.testProvenanceMarshalling(student.getProvenance());
                Helpers.testConfigurableRoundtrip(kd);
            }
        }
    }

    /**
     * A concatenation of two independent series, the second much noisier: with one calibration tail only the noisy
     * part calibrates (a large τ); with the parts declared, both parts' tails do, and both trainers follow the split.
     */
    @Test
    public void concatenatedPartsCalibrateOnTheirOwnTails() {
        MultivariateSeries noisy = series("noisy", 500, 7L, 0, 500);
        float[] v = new float[(1500 + 500) * N];
        System.arraycopy(train.valuesView(), 0, v, 0, 1500 * N);
        System.arraycopy(noisy.valuesView(), 0, v, 1500 * N, 500 * N);
        MutableDataset<Event> both = points(new MultivariateSeries("both", 2000, N, v));
        MSCREDTrainer quick = new MSCREDTrainer(L, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 2, 8,
                3e-3, 3L, 1);
        MSCREDModel tail = quick.train(both);
        MSCREDModel one = new MSCREDTrainer(L, new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 2, 8,
                3e-3, 3L, 1).withSegments(new int[]{0}).train(both);
        assertEquals(tail.tau(), one.tau(), "{0} is the default: one series");
        assertEquals(tail.countThreshold(), one.countThreshold());
        MSCREDTrainer segmentedTrainer = new MSCREDTrainer(L, new int[]{4, 8, 8}, new int[]{3, 3, 2},
                new int[]{1, 2, 2}, 2, 8, 3e-3, 3L, 1).withSegments(new int[]{0, 1500});
        MSCREDModel segmented = segmentedTrainer.train(both);
        assertTrue(segmented.tau() < 0.8 * tail.tau(), "the quiet part's tail lowers tau: " + segmented.tau()
                + " vs " + tail.tau());
        Helpers.testConfigurableRoundtrip(segmentedTrainer);
        assertTrue(segmented.getProvenance().getTrainerProvenance().toString().contains("segmentStarts"));
        // The student's split follows its own segments the same way.
        LTADistillationTrainer kdTail = new LTADistillationTrainer(null, L / 2, new int[]{4, 8}, 0.0, "GRU", 1, 8,
                3e-3, 5L, 1).withAccumulatorSize(8, 4);
        LTADistillationTrainer kdSegmented = new LTADistillationTrainer(null, L / 2, new int[]{4, 8}, 0.0, "GRU", 1,
                8, 3e-3, 5L, 1).withAccumulatorSize(8, 4).withSegments(new int[]{0, 1500});
        double tauTail = kdTail.distil(tail, both).tau();
        double tauSegmented = kdSegmented.distil(segmented, both).tau();
        assertTrue(tauSegmented < 0.8 * tauTail, "student tau " + tauSegmented + " vs " + tauTail);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MSCREDTrainer(L,
                new int[]{4, 8, 8}, new int[]{3, 3, 2}, new int[]{1, 2, 2}, 1, 8, 3e-3, 3L, 1)
                .withSegments(new int[]{0, 2500}).train(both));
        assertTrue(e.getMessage().contains("2500") && e.getMessage().contains("2000"), e.getMessage());
    }

    /** The series with variable 0 multiplied by {@code factor} and shifted by {@code shift}. */
    private static MultivariateSeries rescaled(MultivariateSeries s, float factor, float shift) {
        float[] v = s.valuesView().clone();
        for (int t = 0; t < s.numSteps(); t++) {
            v[t * N] = v[t * N] * factor + shift;
        }
        return new MultivariateSeries(s.name(), s.numSteps(), N, v, s.copyLabels());
    }

    @Test
    public void inputsAreStandardisedWithTheTrainingStatistics(@TempDir Path dir) throws Exception {
        // The teacher keeps the training series' per-variable mean and standard deviation.
        float[] mean = teacher.inputStandardizer().orElseThrow().mean();
        float[] scale = teacher.inputStandardizer().orElseThrow().scale();
        float[] v = train.valuesView();
        for (int j = 0; j < N; j++) {
            double m = 0;
            double sq = 0;
            for (int t = 0; t < train.numSteps(); t++) {
                m += v[t * N + j];
            }
            m /= train.numSteps();
            for (int t = 0; t < train.numSteps(); t++) {
                sq += (v[t * N + j] - m) * (v[t * N + j] - m);
            }
            assertEquals(m, mean[j], 1e-5);
            assertEquals(Math.sqrt(sq / train.numSteps()), scale[j], 1e-5);
        }
        // So a change of units of one variable (in training and scoring alike) changes no score, while a model on
        // raw values sees a different series.
        MSCREDModel rescaledTeacher = teacherTrainer().train(points(rescaled(train, 1000f, 5f)));
        double[] expected = teacher.scoreSeries(test, 1).pointEnergies();
        double[] actual = rescaledTeacher.scoreSeries(rescaled(test, 1000f, 5f), 1).pointEnergies();
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], actual[t], 1e-3 * Math.max(1e-3, expected[t]), "point " + t);
        }
        MSCREDModel raw = teacherTrainer().withRawInputs().train(points(train));
        assertTrue(raw.inputStandardizer().isEmpty());
        assertTrue(Math.abs(raw.scoreSeries(test, 1).pointEnergies()[300] - expected[300]) > 1e-3 * expected[300],
                "raw and standardised inputs must give different models");
        assertTrue(contrast(raw.scoreSeries(test, 1).pointScores()) > 3, "the raw model detects too");
        // A student reads its teacher's standardisation (the maps of eq. 8 come from the same inputs).
        MSCREDModel student = new LTADistillationTrainer(null, L / 2, new int[]{4, 8}, 0.5, "GRU", 1, 8, 3e-3, 5L, 1)
                .withAccumulatorSize(8, 4).distil(teacher, points(train));
        assertEquals(teacher.inputStandardizer(), student.inputStandardizer());
        MSCREDModel rawStudent = new LTADistillationTrainer(null, L / 2, new int[]{4, 8}, 0.0, "none", 1, 8, 3e-3, 5L, 1)
                .distil(raw, points(train));
        assertTrue(rawStudent.inputStandardizer().isEmpty());
        // The standardiser survives the protobuf round trip; a corrupt one is refused with a clear message.
        Path file = dir.resolve("student.tribuo");
        student.serializeToFile(file);
        MSCREDModel back = (MSCREDModel) Model.deserializeFromFile(file);
        assertEquals(student.inputStandardizer(), back.inputStandardizer());
        org.tribuo.protos.core.ModelProto proto = teacher.serialize();
        io.github.tribuokd.timeseries.protos.MSCREDModelProto data = proto.getSerializedData()
                .unpack(io.github.tribuokd.timeseries.protos.MSCREDModelProto.class);
        org.tribuo.protos.core.ModelProto broken = proto.toBuilder().setSerializedData(com.google.protobuf.Any
                .pack(io.github.tribuokd.anomaly.ProtoSupport.withChecksum(data.toBuilder().setInputScale(2, -1f)
                        .build()))).build();
        IllegalStateException bad = assertThrows(IllegalStateException.class, () -> Model.deserialize(broken));
        Throwable cause = bad;
        while (cause.getCause() != null && !String.valueOf(cause.getMessage()).contains("standardiser entry 2")) {
            cause = cause.getCause();
        }
        assertTrue(String.valueOf(cause.getMessage()).contains("standardiser entry 2"), String.valueOf(bad));
    }

    @Test
    public void badInputIsRefused() {
        MultivariateSeries shortSeries = series("short", 10, 1L, -1, -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> teacher.scoreSeries(shortSeries, 1));
        assertTrue(e.getMessage().contains("shorter than one input"), e.getMessage());
        MutableDataset<Event> labelled = points(test);
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> teacherTrainer().train(labelled));
        assertTrue(a.getMessage().contains("ANOMALOUS"), a.getMessage());
        IllegalArgumentException cell = assertThrows(IllegalArgumentException.class,
                () -> new LTADistillationTrainer(null, 20, new int[]{4, 8}, 0.5, "transformer", 1, 8, 1e-3, 1L, 1));
        assertTrue(cell.getMessage().contains("RNN, LSTM or GRU"), cell.getMessage());
        // A corrupt model file: one parameter missing.
        org.tribuo.protos.core.ModelProto proto = teacher.serialize();
        try {
            io.github.tribuokd.timeseries.protos.MSCREDModelProto data = proto.getSerializedData()
                    .unpack(io.github.tribuokd.timeseries.protos.MSCREDModelProto.class);
            java.util.List<Float> params = new ArrayList<>(data.getParametersList());
            params.remove(0);
            org.tribuo.protos.core.ModelProto broken = proto.toBuilder().setSerializedData(com.google.protobuf.Any
                    .pack(io.github.tribuokd.anomaly.ProtoSupport.withChecksum(data.toBuilder().clearParameters()
                            .addAllParameters(params).build()))).build();
            IllegalStateException bad = assertThrows(IllegalStateException.class, () -> Model.deserialize(broken));
            Throwable cause = bad;
            assertTrue(io.github.tribuokd.anomaly.ProtoSupport.describe(bad).contains("field 'parameters' holds"),
                    String.valueOf(bad));
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
        MSCREDStream stream = teacher.newStream();
        assertThrows(IllegalArgumentException.class, () -> stream.push(new float[N + 1]));
        assertThrows(IllegalArgumentException.class, () -> stream.push(new float[]{0, 0, Float.NaN, 0, 0, 0}));
    }
}
