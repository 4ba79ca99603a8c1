package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.Quantiles;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SlidingWindows;
import io.github.tribuokd.timeseries.SmdEntity;
import io.github.tribuokd.timeseries.mscred.LTADistillationTrainer;
import io.github.tribuokd.timeseries.mscred.MSCREDArchitecture;
import io.github.tribuokd.timeseries.mscred.MSCREDModel;
import io.github.tribuokd.timeseries.mscred.MSCREDTrainer;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The protocol of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term
 * Dependency"; docs/PAPERS.md) on one multivariate series: an MSCRED teacher (Zhang et al., "A Deep Neural Network
 * for Unsupervised Anomaly Detection and Diagnosis in Multivariate Time Series Data", AAAI 2019) on long inputs and
 * the student {@link Row rows} of the seed's Tables 1 and 3 at each student input length (two-level MSCRED students
 * with a Long-Term Accumulator and/or attention distillation, {@link LTADistillationTrainer}). Every model is scored
 * on the test series and evaluated by {@link AnomalyMetrics} (point-adjusted and point-wise F1, PA%K, ROC-AUC,
 * PR-AUC, VUS, a random baseline), the ROC-AUC of its mean squared residual and, on concatenated channels, the mean
 * ROC-AUC within each channel; two detectors that learn nothing ({@link NaiveSeriesBaselines}) are evaluated beside
 * them. Parameter counts (the seed's Table 5) and scoring times (Table 4) are measured in the same run.
 * <p>
 * This class lives in the evaluation module, not beside the MSCRED classes in {@code timeseries.mscred}, because the
 * protocol's figures ({@link AnomalyMetrics}, {@link RocAuc}) are this module's and the timeseries module cannot
 * depend on it. The {@code mscred} command parses options, loads the series, calls {@link #run} and writes the reports.
 */
public final class MSCREDSeriesExperiment {

    /** A student row of the seed's Tables 1 and 3. */
    public enum Row {
        /** The two-level student alone. */
        BASE_SMALL("Base_small", 0, "none"),
        /** Attention distillation (eq. 8) only. */
        AD("A.D.", 1, "none"),
        /** The Long-Term Accumulator only, a simple RNN. */
        LTA_RNN("LTA_RNN", 0, "RNN"),
        /** The Long-Term Accumulator only, an LSTM. */
        LTA_LSTM("LTA_LSTM", 0, "LSTM"),
        /** The Long-Term Accumulator only, a GRU. */
        LTA_GRU("LTA_GRU", 0, "GRU"),
        /** The full method: attention distillation and an RNN accumulator. */
        FULL_RNN("Ours LTA_RNN", 1, "RNN"),
        /** The full method: attention distillation and an LSTM accumulator. */
        FULL_LSTM("Ours LTA_LSTM", 1, "LSTM"),
        /** The full method: attention distillation and a GRU accumulator. */
        FULL_GRU("Ours LTA_GRU", 1, "GRU");

        private final String label;
        private final int distil;
        private final String accumulator;

        Row(String label, int distil, String accumulator) {
            this.label = label;
            this.distil = distil;
            this.accumulator = accumulator;
        }

        /**
         * The row's name in the seed's tables.
         * @return E.g. "Ours LTA_GRU".
         */
        public String label() {
            return label;
        }

        /**
         * The accumulator of this row ({@link LTADistillationTrainer}'s).
         * @return none, RNN, LSTM or GRU.
         */
        public String accumulator() {
            return accumulator;
        }

        /**
         * Eq. 8's weight of the attention-distillation term for this row.
         * @param lambda The weight of the distilled rows.
         * @return {@code lambda} for A.D. and the full method, 0 for the others.
         */
        public double attentionWeight(double lambda) {
            return distil * lambda;
        }
    }

    /**
     * The settings of a run.
     * @param teacherLength The teacher's input length.
     * @param studentLengths The students' input lengths; copied.
     * @param rows The student rows trained at each length, in order; copied.
     * @param channels The teacher's four channel counts (the seed's 32, 64, 128, 256); copied.
     * @param studentChannels The students' two channel counts, the second equal to the teacher's second; copied.
     * @param ltaHidden The accumulator's hidden width.
     * @param timingRepeats After training, score the test series this many more times with every model, round-robin,
     *                      and report the median time (1: the evaluation pass's time only).
     * @param teacherEpochs The teacher's epochs.
     * @param epochs The students' epochs.
     * @param trainStride Train on every k-th input.
     * @param lambda Eq. 8's λ of the distilled rows.
     * @param maxTrain Use only the first points of the training series (0: all).
     * @param maxTest Use only the first points of the test series (0: all).
     * @param seed The seed of every model and of the random baselines.
     * @param rawInputs Read raw values instead of standardising every variable with its training mean and sd.
     * @param perChannelCalibration On concatenated channels, calibrate on the last 10% of every channel's training
     *                              points (the default); otherwise on the last 10% of the concatenation.
     */
    public record Settings(int teacherLength, int[] studentLengths, List<Row> rows, int[] channels,
                           int[] studentChannels, int ltaHidden, int timingRepeats, int teacherEpochs, int epochs,
                           int trainStride, double lambda, int maxTrain, int maxTest, long seed, boolean rawInputs,
                           boolean perChannelCalibration) {
        /**
         * Checks and copies the settings.
         * @throws IllegalArgumentException When the channel counts do not fit or {@code timingRepeats} is below 1.
         */
        public Settings {
            studentLengths = studentLengths.clone();
            rows = List.copyOf(rows);
            channels = channels.clone();
            studentChannels = studentChannels.clone();
            if (channels.length != 4 || studentChannels.length != 2 || studentChannels[1] != channels[1]) {
                throw new IllegalArgumentException("four teacher channel counts and two student counts, the second "
                        + "equal to the teacher's second, are needed; found " + Arrays.toString(channels) + " and "
                        + Arrays.toString(studentChannels));
            }
            if (timingRepeats < 1) {
                throw new IllegalArgumentException("timingRepeats must be at least 1, found " + timingRepeats);
            }
        }

        /**
         * The students' input lengths.
         * @return A copy.
         */
        @Override
        public int[] studentLengths() {
            return studentLengths.clone();
        }

        /**
         * The teacher's channel counts.
         * @return A copy.
         */
        @Override
        public int[] channels() {
            return channels.clone();
        }

        /**
         * The students' channel counts.
         * @return A copy.
         */
        @Override
        public int[] studentChannels() {
            return studentChannels.clone();
        }
    }

    /**
     * One evaluated model.
     * @param name The model's row name ("Base (teacher)" or a {@link Row#label()}).
     * @param length Its input length.
     * @param parameters Its parameter count (with the accumulator's).
     * @param metrics Its count score's metrics at its count threshold.
     * @param scoringSeconds The time to score the test series (the median of the timing rounds, if any).
     * @param inputs The inputs scored.
     * @param points The test points.
     * @param trainSeconds The training time.
     * @param energyRocAuc The ROC-AUC of the mean squared residual per point.
     * @param channelMeanRocAuc The mean over the test series' channels of the count score's ROC-AUC (NaN for one
     *                          channel; {@link #channelMeanRocAuc}).
     */
    public record ModelResult(String name, int length, long parameters, AnomalyMetrics metrics, double scoringSeconds,
                              int inputs, int points, double trainSeconds, double energyRocAuc,
                              double channelMeanRocAuc) {
        /**
         * This result with another scoring time.
         * @param seconds The scoring time.
         * @return A copy.
         */
        public ModelResult withScoringSeconds(double seconds) {
            return new ModelResult(name, length, parameters, metrics, seconds, inputs, points, trainSeconds,
                    energyRocAuc, channelMeanRocAuc);
        }
    }

    /**
     * What one series gave.
     * @param entity The series' name.
     * @param trainPoints The training points used.
     * @param testPoints The test points used.
     * @param variables The variables.
     * @param anomalousPoints The anomalous test points.
     * @param calibrationSegments The number of training segments whose tails calibrate (1: the series' tail).
     * @param models The teacher first, then every student, length by length and row by row (unmodifiable).
     * @param baselines The detectors that learn nothing, by description, in order (unmodifiable).
     * @param baselineChannelMeans Their mean ROC-AUC within each channel, by description (NaN for one channel;
     *                             unmodifiable).
     */
    public record Result(String entity, int trainPoints, int testPoints, int variables, int anomalousPoints,
                         int calibrationSegments, List<ModelResult> models, Map<String, AnomalyMetrics> baselines,
                         Map<String, Double> baselineChannelMeans) { }

    private final Settings s;
    private final BiConsumer<String, Model<?>> warnings;
    private final Consumer<String> progress;

    /**
     * @param settings The settings.
     * @param warnings Receives every trained model with its role (e.g. "Base_small, L=10") as soon as it is trained,
     *                 for its training warnings ({@code TrainingWarnings}).
     * @param progress Progress lines.
     */
    public MSCREDSeriesExperiment(Settings settings, BiConsumer<String, Model<?>> warnings,
                                  Consumer<String> progress) {
        this.s = Objects.requireNonNull(settings, "settings");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Runs the protocol on one series.
     * @param entity The series: one channel, or the channels concatenated with their segment starts.
     * @return The models' and the baselines' results.
     * @throws IllegalArgumentException When the test series is too short for one input of the longest model.
     */
    public Result run(SmdEntity entity) {
        long start = System.nanoTime();
        int teacherLength = s.teacherLength();
        int[] lengths = s.studentLengths;
        long seed = s.seed();
        MultivariateSeries train = s.maxTrain() > 0 && s.maxTrain() < entity.train().numSteps()
                ? entity.train().slice(0, s.maxTrain()) : entity.train();
        MultivariateSeries test = s.maxTest() > 0 && s.maxTest() < entity.test().numSteps()
                ? entity.test().slice(0, s.maxTest()) : entity.test();
        // Before training: a test series too short for one input of the longest model is reported by file.
        int span = SignatureMatrices.forInputLength(Math.max(teacherLength, Arrays.stream(lengths).max().orElse(0)))
                .inputSpan();
        new SlidingWindows(span, 1).requireWindows(test, entity.testSource() + " (inputs span " + span + " points)");
        int[] labels = test.copyLabels();
        // Every channel's tail calibrates (a channel cut off by maxTrain is dropped from the list).
        int[] segments = !s.perChannelCalibration() ? new int[]{0}
                : Arrays.stream(entity.trainSegmentStarts()).filter(x -> x < train.numSteps()).toArray();
        int[] testStarts = Arrays.stream(entity.testSegmentStarts()).filter(x -> x < test.numSteps()).toArray();
        MutableDataset<Event> trainData = new SlidingWindows(1, 1).toDataset(train, entity.name() + " train");
        progress.accept(String.format("%s: %d training and %d test points of %d variables (%d anomalous)",
                entity.name(), train.numSteps(), test.numSteps(), train.numVariables(), Arrays.stream(labels).sum()));

        // detectors that learn nothing, for scale (threshold-free figures only)
        Map<String, AnomalyMetrics> baselines = new LinkedHashMap<>();
        Map<String, Double> baselineChannelMeans = new LinkedHashMap<>();
        double[] distance = NaiveSeriesBaselines.distanceFromTrainingMean(train, test);
        double[] change = NaiveSeriesBaselines.localChange(test, 100);
        String distanceName = "distance from the training mean, sum_j ((x_t^j - mu^j) / sigma^j)^2";
        String changeName = "local change, norm of x_t - mean of the 100 points before";
        baselines.put(distanceName, AnomalyMetrics.compute(distance, labels, Double.POSITIVE_INFINITY, seed));
        baselines.put(changeName, AnomalyMetrics.compute(change, labels, Double.POSITIVE_INFINITY, seed));
        baselineChannelMeans.put(distanceName, channelMeanRocAuc(distance, labels, testStarts));
        baselineChannelMeans.put(changeName, channelMeanRocAuc(change, labels, testStarts));
        for (Map.Entry<String, AnomalyMetrics> b : baselines.entrySet()) {
            progress.accept(String.format("baseline %s: ROC-AUC %.4f", b.getKey(), b.getValue().rocAuc()));
        }

        int[] channels = s.channels;
        int[] kernels = MSCREDArchitecture.kernels(channels.length);
        int[] strides = MSCREDArchitecture.strides(channels.length);
        List<ModelResult> results = new ArrayList<>();
        List<MSCREDModel> models = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        long t0 = System.nanoTime();
        MSCREDTrainer teacherTrainer = new MSCREDTrainer(teacherLength, channels, kernels, strides, s.teacherEpochs(),
                8, 1e-3, seed, s.trainStride());
        if (s.rawInputs()) {
            teacherTrainer.withRawInputs();
        }
        teacherTrainer.withSegments(segments);
        MSCREDModel teacher = teacherTrainer.train(trainData);
        double teacherTrain = (System.nanoTime() - t0) / 1e9;
        warnings.accept("Base (teacher), L=" + teacherLength, teacher);
        int teacherGap = teacher.signature().gap();
        results.add(evaluate("Base (teacher)", teacherLength, teacher, test, labels, testStarts, teacherTrain, seed,
                1));
        models.add(teacher);
        steps.add(1);
        for (int length : lengths) {
            for (Row row : s.rows()) {
                long s0 = System.nanoTime();
                LTADistillationTrainer kd = new LTADistillationTrainer(null, length,
                        s.studentChannels, row.attentionWeight(s.lambda()), row.accumulator(), s.epochs(), 8, 2e-4,
                        seed + length, s.trainStride()).withAccumulatorSize(s.ltaHidden(), 10).withSegments(segments);
                MSCREDModel student = kd.distil(teacher, trainData);
                warnings.accept(row.label() + ", L=" + length, student);
                int step = Math.max(1, (int) Math.round((double) teacherGap / student.signature().gap()));
                results.add(evaluate(row.label(), length, student, test, labels, testStarts,
                        (System.nanoTime() - s0) / 1e9, seed, step));
                models.add(student);
                steps.add(step);
                progress.accept(String.format("L=%d %s done (%.1f min total)", length, row.label(),
                        (System.nanoTime() - start) / 60e9));
            }
        }
        if (s.timingRepeats() > 1) {
            results = retime(models, steps, results, test, s.timingRepeats());
        }
        return new Result(entity.name(), train.numSteps(), test.numSteps(), train.numVariables(),
                Arrays.stream(labels).sum(), segments.length, Collections.unmodifiableList(results),
                Collections.unmodifiableMap(baselines), Collections.unmodifiableMap(baselineChannelMeans));
    }

    /**
     * Scores the test series {@code repeats} more times with every model, interleaved (model 1, 2, …, then again) so
     * that the machine's drift hits every model alike, and replaces each model's scoring time by the median.
     */
    private List<ModelResult> retime(List<MSCREDModel> models, List<Integer> steps, List<ModelResult> results,
                                     MultivariateSeries test, int repeats) {
        double[][] seconds = new double[models.size()][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int m = 0; m < models.size(); m++) {
                long t = System.nanoTime();
                models.get(m).scoreSeries(test, 2, steps.get(m));
                seconds[m][r] = (System.nanoTime() - t) / 1e9;
            }
            progress.accept(String.format("timing round %d of %d done", r + 1, repeats));
        }
        List<ModelResult> retimed = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            double median = Quantiles.quantile(seconds[m], 0.5);
            progress.accept(String.format("%s: scoring %s s, median %.1f s", results.get(m).name(),
                    Arrays.toString(seconds[m]), median));
            retimed.add(results.get(m).withScoringSeconds(median));
        }
        return retimed;
    }

    private ModelResult evaluate(String name, int length, MSCREDModel model, MultivariateSeries test, int[] labels,
                                 int[] testStarts, double trainSeconds, long seed, int inputStep) {
        long t = System.nanoTime();
        MSCREDModel.SeriesScores scores = model.scoreSeries(test, 2, inputStep);
        double seconds = (System.nanoTime() - t) / 1e9;
        AnomalyMetrics metrics = AnomalyMetrics.compute(scores.pointScores(), labels, model.countThreshold(), seed);
        progress.accept(String.format("%s (L=%d): PA-F1 %.4f, F1 %.4f, ROC-AUC %.4f, scored in %.1f s", name, length,
                metrics.pointAdjusted().f1(), metrics.pointwise().f1(), metrics.rocAuc(), seconds));
        double energyAuc = RocAuc.compute(scores.pointEnergies(), labels);
        return new ModelResult(name, length, model.numParameters(), metrics, seconds, scores.inputScores().length,
                test.numSteps(), trainSeconds, energyAuc, channelMeanRocAuc(scores.pointScores(), labels, testStarts));
    }

    /**
     * The mean ROC-AUC of {@code scores} within each part of a concatenated test series that has both classes:
     * how well a score ranks inside a channel, whatever its level in the other channels.
     * @param scores One score per test point.
     * @param labels One label (0 or 1) per test point.
     * @param testStarts The first point of every part, ascending, the first 0.
     * @return The mean over the parts with both classes; NaN for one part or when no part has both classes.
     */
    public static double channelMeanRocAuc(double[] scores, int[] labels, int[] testStarts) {
        if (testStarts.length < 2) {
            return Double.NaN;
        }
        double sum = 0;
        int used = 0;
        for (int k = 0; k < testStarts.length; k++) {
            int from = testStarts[k];
            int to = k + 1 < testStarts.length ? testStarts[k + 1] : labels.length;
            int[] l = Arrays.copyOfRange(labels, from, to);
            int positives = Arrays.stream(l).sum();
            if (positives == 0 || positives == l.length) {
                continue;
            }
            sum += RocAuc.compute(Arrays.copyOfRange(scores, from, to), l);
            used++;
        }
        return used == 0 ? Double.NaN : sum / used;
    }
}
