package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.anomaly.Counts;
import io.github.tribuokd.anomaly.FeatureMatrix;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.anomaly.Quantiles;
import io.github.tribuokd.anomaly.TrainingData;
import io.github.tribuokd.anomaly.TrainingWarnings;
import io.github.tribuokd.nn.kernels.GradientShard;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SignatureMatrixSequence;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training series of an MSCRED trainer: the dataset's examples as one time-ordered series, its signature
 * matrices, and which inputs fit the network and which (the time-ordered tail) calibrate τ and the count threshold.
 * <p>
 * <b>Degenerate data</b> (docs/RELIABILITY.md, "Runs and degenerate training"), with the rules of every other trainer
 * ({@link TrainingData}; the examples here are signature-matrix inputs, the features variables): fewer than
 * {@link TrainingData#MIN_FIT_EXAMPLES} fitting inputs are refused ({@link #of}); every variable constant over the
 * fitting points is refused and some constant variables are warned about ({@link #constantVariables}); a count
 * threshold above every fitting input's count is capped at the largest, with a warning ({@link #calibrate}).
 */
final class MSCREDData {

    /**
     * Checks the convolution levels' settings, which MSCREDTrainer and LTADistillationTrainer share.
     * @param channels Channels per level.
     * @param kernels Kernel size per level.
     * @param strides Stride per level.
     * @throws IllegalArgumentException If any is missing or empty or the three differ in length.
     */
    static void checkLevels(int[] channels, int[] kernels, int[] strides) {
        if (channels == null || kernels == null || strides == null || channels.length == 0
                || channels.length != kernels.length || channels.length != strides.length) {
            throw new IllegalArgumentException("channels, kernels and strides need one entry per level, found "
                    + Arrays.toString(channels) + ", " + Arrays.toString(kernels) + ", " + Arrays.toString(strides));
        }
    }

    /**
     * Checks the count rule's calibration settings.
     * @param validationFraction The calibration tail, in {@code [0, 1)}.
     * @param tauQuantile Quantile of residual entries for τ, in {@code [0, 1]}.
     * @param countQuantile Quantile of counts for the threshold, in {@code [0, 1]}.
     * @throws IllegalArgumentException If any is outside its range or NaN.
     */
    static void checkCalibration(double validationFraction, double tauQuantile, double countQuantile) {
        if (!(validationFraction >= 0 && validationFraction < 1) || !(tauQuantile >= 0 && tauQuantile <= 1)
                || !(countQuantile >= 0 && countQuantile <= 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1) and the quantiles in [0, 1], "
                    + "found " + validationFraction + ", " + tauQuantile + ", " + countQuantile);
        }
    }

    /**
     * Checks the first points of a concatenation's parts (the trainers' {@code withSegments}).
     * @param starts The first point of every part: 0 first.
     * @return A copy of them.
     * @throws IllegalArgumentException If they are missing or do not begin with 0.
     */
    static int[] checkedSegmentStarts(int[] starts) {
        if (starts == null || starts.length == 0 || starts[0] != 0) {
            throw new IllegalArgumentException("segment starts must begin with 0, found " + Arrays.toString(starts));
        }
        return starts.clone();
    }

    /**
     * The parts a trainer fits and calibrates on.
     * @param starts The configured first points, or null or empty for one part.
     * @return A copy of them, or {@code {0}}.
     */
    static int[] segmentStartsOrWhole(int[] starts) {
        return starts == null || starts.length == 0 ? new int[]{0} : starts.clone();
    }

    final MultivariateSeries series;
    final SignatureMatrixSequence sequence;
    /** Input indices used for fitting (every {@code trainStride}-th input before the tail). */
    final int[] fitInputs;
    /** Input indices of the calibration tails (all of them), or the fitting inputs when there is no tail. */
    final int[] calibrationInputs;

    private MSCREDData(MultivariateSeries series, SignatureMatrixSequence sequence, int[] fitInputs,
                       int[] calibrationInputs) {
        this.series = series;
        this.sequence = sequence;
        this.fitInputs = fitInputs;
        this.calibrationInputs = calibrationInputs;
    }

    /** The dataset's rows in order as a series; refuses ANOMALOUS labels (a teacher learns normal data). */
    static MultivariateSeries series(Dataset<Event> dataset, ImmutableFeatureMap featureMap, String trainer) {
        if (dataset.size() == 0) {
            throw new IllegalArgumentException(trainer + ": the training dataset is empty");
        }
        List<Example<Event>> list = new ArrayList<>(dataset.size());
        int i = 0;
        for (Example<Event> e : dataset) {
            if (e.getOutput().getType() == Event.EventType.ANOMALOUS) {
                throw new IllegalArgumentException(trainer + ": training point " + i + " is labelled ANOMALOUS; "
                        + "MSCRED learns from a normal series (points cannot be dropped without breaking the "
                        + "series' continuity)");
            }
            list.add(e);
            i++;
        }
        float[] values = FeatureMatrix.toMatrix(list, featureMap);
        return new MultivariateSeries(dataset.getSourceDescription(), list.size(), featureMap.size(), values);
    }

    /**
     * The series with every variable standardised by {@code standardizer} (a copy; labels kept), or the series
     * itself when {@code standardizer} is null.
     */
    static MultivariateSeries standardised(MultivariateSeries series, FeatureStandardizer standardizer) {
        if (standardizer == null) {
            return series;
        }
        float[] values = series.valuesView().clone();
        standardizer.applyInPlace(values, series.numSteps());
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("Series '" + series.name() + "', point " + i / series.numVariables()
                        + ", variable " + i % series.numVariables() + ": the value is too large to standardise");
            }
        }
        return series.hasLabels()
                ? new MultivariateSeries(series.name(), series.numSteps(), series.numVariables(), values,
                        series.copyLabels())
                : new MultivariateSeries(series.name(), series.numSteps(), series.numVariables(), values);
    }

    /** Fits a per-variable standardiser (mean, standard deviation; constant variables are only centred). */
    static FeatureStandardizer fitStandardizer(MultivariateSeries series) {
        return FeatureStandardizer.fit(series.valuesView(), series.numSteps(), series.numVariables());
    }

    /**
     * Builds the signature matrices and the split: an input belongs to the segment of its last point; the inputs
     * whose last point lies in the last {@code validationFraction} of their segment calibrate, every
     * {@code trainStride}-th of the others fits. With one segment ({@code {0}}) the calibration inputs are the
     * series' time-ordered tail. With several (a concatenation of independent series, such as MSL's channels),
     * every segment contributes its own tail, so that calibration sees every part the model learnt and the model
     * learns every part; an input near a segment's start may span points of the previous segment, as in a
     * concatenated test series.
     * @param segmentStarts The first point of every segment: 0 first, strictly increasing, below the length.
     * @param firstInputTime The earliest input time allowed (e.g. a teacher's first valid time), or −1.
     */
    static MSCREDData of(MultivariateSeries series, SignatureMatrices signature, double validationFraction,
                         int trainStride, int firstInputTime, int[] segmentStarts, int threads, String trainer) {
        if (series.numSteps() <= Math.max(signature.firstValidTime(), firstInputTime) + 1) {
            throw new IllegalArgumentException(trainer + ": a training series of " + series.numSteps()
                    + " points is too short for inputs spanning " + signature.inputSpan() + " points");
        }
        checkSegmentStarts(segmentStarts, series.numSteps(), trainer);
        SignatureMatrixSequence seq = signature.build(series, signature.firstMatrixTime(), threads);
        List<Integer> fit = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        int kept = 0;
        int segment = 0;
        int fitEnd = fitEnd(segmentStarts, 0, series.numSteps(), validationFraction);
        for (int i = 0; i < seq.numInputs(); i++) {
            int t = seq.inputTime(i);
            if (t < firstInputTime) {
                continue;
            }
            while (segment + 1 < segmentStarts.length && t >= segmentStarts[segment + 1]) {
                segment++;
                fitEnd = fitEnd(segmentStarts, segment, series.numSteps(), validationFraction);
            }
            if (t < fitEnd) {
                if (kept++ % trainStride == 0) {
                    fit.add(i);
                }
            } else {
                tail.add(i);
            }
        }
        TrainingData.requireFitExamples(fit.size(), trainer, "the " + series.numSteps() + "-point training series"
                + " gives " + (kept + tail.size()) + " signature-matrix inputs of " + signature.inputSpan()
                + " points, which leave " + fit.size() + " for fitting"
                + (tail.isEmpty() ? "" : " after the calibration tail of " + tail.size())
                + (trainStride > 1 ? " (every " + trainStride + ordinalSuffix(trainStride) + " input)" : ""),
                "use a longer series, a shorter input length, a smaller trainStride or a smaller validationFraction");
        int[] fitInputs = fit.stream().mapToInt(Integer::intValue).toArray();
        int[] calibration = tail.isEmpty() ? fitInputs : tail.stream().mapToInt(Integer::intValue).toArray();
        return new MSCREDData(series, seq, fitInputs, calibration);
    }

    private static String ordinalSuffix(int k) {
        return k % 100 >= 11 && k % 100 <= 13 ? "th" : k % 10 == 1 ? "st" : k % 10 == 2 ? "nd" : k % 10 == 3 ? "rd"
                : "th";
    }

    /**
     * Refuses a series whose every variable is constant over the fitting points (the points from the first point
     * the first fitting input reads to the last fitting input's time), and warns, naming them, when some are.
     * @param featureMap The variables (one feature each, in id order).
     * @param signature The signature matrices, for the points an input reads.
     * @param trainer The trainer's name, for the messages.
     * @return The warning (logged), or null when every variable varies.
     * @throws IllegalArgumentException If every variable is constant over the fitting points.
     */
    String constantVariables(ImmutableFeatureMap featureMap, SignatureMatrices signature, String trainer) {
        int from = Math.max(0, sequence.inputTime(fitInputs[0]) - signature.inputSpan() + 1);
        int to = sequence.inputTime(fitInputs[fitInputs.length - 1]) + 1;
        return TrainingData.checkConstantFeatures(series.valuesView(), from, to, featureMap, trainer,
                "fitting points");
    }

    /** The first calibration point of segment {@code k}: its start plus the fitting share of its length. */
    private static int fitEnd(int[] starts, int k, int numSteps, double validationFraction) {
        int end = k + 1 < starts.length ? starts[k + 1] : numSteps;
        return starts[k] + (int) Math.floor((end - starts[k]) * (1 - validationFraction));
    }

    /**
     * Checks a trainer's segment starts against its training series.
     * @throws IllegalArgumentException Naming the trainer and the offending start.
     */
    static void checkSegmentStarts(int[] starts, int numSteps, String trainer) {
        if (starts.length == 0 || starts[0] != 0) {
            throw new IllegalArgumentException(trainer + ": segmentStarts must begin with 0, found "
                    + Arrays.toString(starts));
        }
        for (int k = 1; k < starts.length; k++) {
            if (starts[k] <= starts[k - 1] || starts[k] >= numSteps) {
                throw new IllegalArgumentException(trainer + ": segment start " + k + " (" + starts[k] + ") must be "
                        + "above the previous (" + starts[k - 1] + ") and below the training series' length "
                        + numSteps);
            }
        }
    }

    /** The calibration of a count rule: τ, the count threshold and the warnings the calibration raised. */
    static final class Calibration {
        final double tau;
        final double countThreshold;
        final List<String> warnings;

        Calibration(double tau, double countThreshold, List<String> warnings) {
            this.tau = tau;
            this.countThreshold = countThreshold;
            this.warnings = warnings;
        }
    }

    /**
     * τ = the {@code tauQuantile} of |Υ| entries over the calibration inputs, then the count threshold = the
     * {@code countQuantile} of their counts above τ. With a calibration tail, the count threshold is then checked
     * against the counts of the fitting inputs (at most {@link TrainingData#MAX_RANGE_ROWS}, evenly spaced) by
     * {@link TrainingData#checkThreshold}: above every one of them it is capped at the largest, with a warning.
     * @param unthresholded The model, with infinite τ and count threshold.
     * @param stacks The (augmented) stacks of the training series.
     * @param stackSize Floats per stack.
     * @param tauQuantile The quantile of residual entries for τ.
     * @param countQuantile The quantile of counts for the threshold.
     * @param who The trainer, for the warnings.
     * @return τ, the count threshold and the warnings (logged).
     */
    Calibration calibrate(MSCREDModel unthresholded, float[] stacks, int stackSize, double tauQuantile,
                          double countQuantile, String who) {
        int[] inputs = calibrationInputs;
        int n = unthresholded.getFeatureIDMap().size();
        int steps = unthresholded.signature().steps();
        // Gather each calibration input's stacks contiguously (inputs overlap in the sequence).
        float[] perInput = new float[inputs.length * steps * stackSize];
        for (int r = 0; r < inputs.length; r++) {
            System.arraycopy(stacks, inputs[r] * stackSize, perInput, r * steps * stackSize, steps * stackSize);
        }
        float[][] residuals = new float[inputs.length][];
        double[] ignored = new double[inputs.length];
        unthresholded.scoreInputs(perInput, steps * stackSize, inputs.length, ignored, 2, residuals);
        double[] abs = new double[inputs.length * n * n];
        int k = 0;
        for (float[] r : residuals) {
            for (float v : r) {
                abs[k++] = Math.abs(v);
            }
        }
        double tau = Quantiles.quantile(abs, tauQuantile);
        double[] counts = new double[inputs.length];
        for (int r = 0; r < inputs.length; r++) {
            counts[r] = Counts.countAbsAbove(residuals[r], 0, n * n, tau);
        }
        double threshold = Quantiles.quantile(counts, countQuantile);
        if (inputs == fitInputs) {
            return new Calibration(tau, threshold, new ArrayList<>());   // no tail: the fitting inputs calibrate
        }
        int[] sample = TrainingData.fittedRangeSample(fitInputs.length);
        int[] fitting = new int[sample.length];
        for (int i = 0; i < sample.length; i++) {
            fitting[i] = fitInputs[sample[i]];
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double c : counts(unthresholded, stacks, stackSize, fitting, tau)) {
            low = Math.min(low, c);
            high = Math.max(high, c);
        }
        TrainingData.Calibration checked = TrainingData.checkThreshold(threshold, countQuantile, counts, 0, low, high,
                fitInputs.length, who + " (count threshold)");
        return new Calibration(tau, checked.threshold(), checked.warnings());
    }

    /**
     * {@code provenance} with the training warnings recorded ({@link TrainingWarnings}): the data's, then the
     * calibration's. Without warnings, {@code provenance} itself.
     * @param provenance The model provenance.
     * @param dataWarning The warning of {@link #constantVariables}, or null.
     * @param calibration The calibration.
     * @return The provenance to give the thresholded model.
     */
    static ModelProvenance record(ModelProvenance provenance, String dataWarning, Calibration calibration) {
        List<String> all = new ArrayList<>();
        if (dataWarning != null) {
            all.add(dataWarning);
        }
        all.addAll(calibration.warnings);
        return TrainingWarnings.record(provenance, all);
    }

    /** The counts above τ of the given inputs, scored in chunks (an input's stacks are gathered contiguously). */
    private static double[] counts(MSCREDModel unthresholded, float[] stacks, int stackSize, int[] inputs,
                                   double tau) {
        int n = unthresholded.getFeatureIDMap().size();
        int steps = unthresholded.signature().steps();
        int chunk = 256;
        double[] counts = new double[inputs.length];
        float[] perInput = new float[Math.min(chunk, inputs.length) * steps * stackSize];
        double[] ignored = new double[chunk];
        for (int first = 0; first < inputs.length; first += chunk) {
            int b = Math.min(chunk, inputs.length - first);
            for (int r = 0; r < b; r++) {
                System.arraycopy(stacks, inputs[first + r] * stackSize, perInput, r * steps * stackSize,
                        steps * stackSize);
            }
            float[][] residuals = new float[b][];
            unthresholded.scoreInputs(perInput, steps * stackSize, b, ignored, 2, residuals);
            for (int r = 0; r < b; r++) {
                counts[first + r] = Counts.countAbsAbove(residuals[r], 0, n * n, tau);
            }
        }
        return counts;
    }

    /**
     * A shard for reconstruction training on inputs whose stacks overlap (input i = stacks i..i+T−1 of one
     * array): gathers its rows, runs the network, MSE between the reconstruction and the input's last stack.
     */
    static final class ReconstructionShard implements GradientShard {
        private final MSCREDNetwork network;
        private final float[] stacks;
        private final int[] inputs;
        private final int stackSize;
        private final MSCREDNetwork.Workspace ws;
        private final float[] batch;
        private final float[] dRecon;
        private final float[] grads;

        ReconstructionShard(MSCREDNetwork network, float[] stacks, int stackSize, int[] inputs, int capacity) {
            this.network = network;
            this.stacks = stacks;
            this.inputs = inputs;
            this.stackSize = stackSize;
            this.ws = network.newWorkspace(capacity);
            this.batch = new float[capacity * network.inputSize()];
            this.dRecon = new float[capacity * stackSize];
            this.grads = new float[network.numParameters()];
        }

        @Override
        public float[] gradients() {
            return grads;
        }

        @Override
        public double compute(int[] order, int from, int to, int batchSize) {
            Arrays.fill(grads, 0f);
            int rows = to - from;
            if (rows == 0) {
                return 0;
            }
            int inputSize = network.inputSize();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(stacks, inputs[order[from + r]] * stackSize, batch, r * inputSize, inputSize);
            }
            float[] recon = network.forward(batch, 0, rows, ws);
            double loss = 0;
            float scale = 2f / ((float) batchSize * stackSize);
            int last = (network.steps() - 1) * stackSize;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < stackSize; j++) {
                    float d = recon[r * stackSize + j] - batch[r * inputSize + last + j];
                    loss += (double) d * d;
                    dRecon[r * stackSize + j] = scale * d;
                }
            }
            network.backward(dRecon, null, rows, ws, grads, null);
            return loss;
        }
    }
}
