// Over 600 lines: one model with three ways of scoring that must agree to the bit (a time-ordered batch of a
// whole series, a live stream carrying the accumulator state, and the ONNX graph), its protobuf form with the
// file checks, and the non-finite score policy; the network, the accumulator and the signature matrices are
// their own classes.
package io.github.tribuokd.timeseries.mscred;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.Counts;
import io.github.tribuokd.anomaly.FeatureMatrix;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.anomaly.NonFiniteScorePolicy;
import io.github.tribuokd.anomaly.ProtoSupport;
import io.github.tribuokd.anomaly.protos.FeatureStandardizerProto;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.PointScores;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SignatureMatrixSequence;
import io.github.tribuokd.timeseries.protos.MSCREDModelProto;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * An MSCRED anomaly detector on a multivariate series (Zhang et al., AAAI 2019, as used by seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)): the teacher,
 * or a student whose input signature matrices are augmented by a Long-Term Accumulator (seed 002, eq. 7:
 * {@code S_t = M_t + β_t}).
 * <p>
 * <b>Examples are time points</b> (one feature per variable, in id order) and <b>a prediction needs history</b>:
 * {@link #predict(Iterable)} reads its examples as one contiguous series in order, builds the signature matrices
 * ({@link SignatureMatrices}, eq. 1), scores every input (its residual matrix of scale 1, eq. 4,
 * {@code Υ_t = S¹_t − Ŝ¹_t}) and gives every point the score of the latest input ending at or before it.
 * <b>Score</b>: the number of entries of {@code |Υ_t|} above {@link #tau()}; a point is ANOMALOUS when that count is
 * strictly greater than {@link #countThreshold()} (the seed: "more than n elements exceeding τ"). Scoring a single
 * example is refused; for a live stream use {@link #newStream()}. An input whose residual matrix is not finite (an
 * overflow) is never counted as normal: it is refused, or flagged, as {@link #withNonFiniteScorePolicy} says.
 * <p>
 * <b>Inputs</b>: when the model has an input standardiser ({@link #inputStandardizer()}, fitted by the trainer on the
 * training series), every point is standardised per variable before the signature matrices and the accumulator
 * read it; MSCRED's signature matrices are inner products of raw values, so without it variables of large magnitude
 * dominate them.
 * <p>
 * With an accumulator, scoring starts from the accumulator state reached at the end of the training series (the
 * test series is read as the continuation of the stream the accumulator has been reading).
 * <p>
 * <b>Deployment</b>: {@link #exportONNXModel} writes the whole detector as one ONNX graph run per input time (raw
 * window in; count score, decision and residual matrix out; an accumulator's state as explicit inputs and outputs
 * that the caller feeds back), with the protocol in {@link MSCREDOnnxExport}.
 */
public final class MSCREDModel extends Model<Event> implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    /** Inputs scored together. */
    static final int SCORING_BATCH = 16;

    /** Time between two progress lines while a long series is scored: one minute. */
    private static final long PROGRESS_INTERVAL_NANOS = 60_000_000_000L;

    private static final Logger logger = Logger.getLogger(MSCREDModel.class.getName());

    /** How signature matrices are built from the series. */
    private final SignatureMatrices signature;
    /** The trained MSCRED network (encoder, attention ConvLSTMs, decoder). */
    private final MSCREDNetwork network;
    /** The Long-Term Accumulator of a distilled student, or null for the teacher. */
    private final LongTermAccumulator lta;
    /** The accumulator's initial state for scoring, or null. */
    private final RecurrentState ltaStart;
    /** The residual threshold: a residual entry counts when its absolute value is above it. */
    private final double tau;
    /** The number of large residuals above which an input is anomalous. */
    private final double countThreshold;
    /** The mean training loss of each epoch. */
    private final double[] trainingLoss;
    /** The per-variable standardisation of the raw series, or null for raw inputs. */
    private final FeatureStandardizer inputStandardizer;
    /**
     * What is done with an input whose residual matrix is not finite. Set only on a fresh copy, before it is
     * returned by {@link #withNonFiniteScorePolicy} or {@link #copy()}; a scoring setting, not serialized.
     */
    private NonFiniteScorePolicy nonFiniteScorePolicy = NonFiniteScorePolicy.REFUSE;

    MSCREDModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                ImmutableOutputInfo<Event> outputIDInfo, SignatureMatrices signature, MSCREDNetwork network,
                LongTermAccumulator lta, RecurrentState ltaStart, double tau, double countThreshold,
                double[] trainingLoss, FeatureStandardizer inputStandardizer) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        if (inputStandardizer != null && inputStandardizer.width() != featureIDMap.size()) {
            throw new IllegalArgumentException("The input standardiser has " + inputStandardizer.width()
                    + " variables, the model " + featureIDMap.size());
        }
        if (network.side() != featureIDMap.size()) {
            throw new IllegalArgumentException("The network reads " + network.side() + "x" + network.side()
                    + " signature matrices, the model has " + featureIDMap.size() + " variables");
        }
        this.signature = signature;
        this.network = network;
        this.lta = lta;
        this.ltaStart = ltaStart == null ? null : ltaStart.copy();
        this.tau = tau;
        this.countThreshold = countThreshold;
        this.trainingLoss = trainingLoss.clone();
        this.inputStandardizer = inputStandardizer;
    }

    /**
     * The per-variable standardisation applied to every point before the signature matrices, if any.
     * @return The standardiser, or empty when the model reads raw points.
     */
    public Optional<FeatureStandardizer> inputStandardizer() {
        return Optional.ofNullable(inputStandardizer);
    }

    /**
     * This model with another policy for inputs whose residual matrix is not finite (an overflow inside the network:
     * a point far outside the training range, or parameters that are not finite). Such an input's count would
     * silently be 0, as {@code |NaN| > τ} is false, so it is never scored as normal: with
     * {@link NonFiniteScorePolicy#REFUSE} (the default) scoring stops with an error naming the input and its time;
     * with {@link NonFiniteScorePolicy#ANOMALOUS} its score (and residual energy) is {@link Double#POSITIVE_INFINITY},
     * so its points are ANOMALOUS. Points with non-finite values are refused whatever the policy (the signature
     * matrices of a whole input would be undefined). The policy is not serialized: a loaded model refuses.
     * @param policy The policy.
     * @return A copy of this model applying {@code policy}.
     */
    public MSCREDModel withNonFiniteScorePolicy(NonFiniteScorePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        MSCREDModel copy = copy(name, provenance);
        copy.nonFiniteScorePolicy = policy;
        return copy;
    }

    /**
     * What this model does with an input whose residual matrix is not finite.
     * @return The policy.
     */
    public NonFiniteScorePolicy nonFiniteScorePolicy() {
        return nonFiniteScorePolicy;
    }

    /**
     * A copy of this model, with its {@link #nonFiniteScorePolicy()}.
     * @return The copy.
     */
    @Override
    public MSCREDModel copy() {
        return withNonFiniteScorePolicy(nonFiniteScorePolicy);
    }

    /** The standardiser or null (package use). */
    FeatureStandardizer standardizerOrNull() {
        return inputStandardizer;
    }

    /**
     * The signature-matrix configuration (scales, gap, steps).
     * @return The configuration.
     */
    public SignatureMatrices signature() {
        return signature;
    }

    /**
     * The residual threshold τ of eq. 4's count rule.
     * @return τ.
     */
    public double tau() {
        return tau;
    }

    /**
     * The decision threshold on the count: ANOMALOUS when more than this many entries exceed τ.
     * @return The count threshold.
     */
    public double countThreshold() {
        return countThreshold;
    }

    /**
     * Whether this detector has a Long-Term Accumulator.
     * @return True for an LTA student.
     */
    public boolean hasAccumulator() {
        return lta != null;
    }

    /**
     * The accumulator's cell, or null.
     * @return The cell.
     */
    public LongTermAccumulator.Cell accumulatorCell() {
        return lta == null ? null : lta.cell();
    }

    /**
     * Parameters of the network plus the accumulator (seed 002, Table 5 counts the deployed model).
     * @return The parameter count.
     */
    public long numParameters() {
        return network.numParameters() + (lta == null ? 0 : lta.numParameters());
    }

    /**
     * Multiply-accumulates of the network per input.
     * @return The count.
     */
    public long multiplyAccumulates() {
        return network.multiplyAccumulates();
    }

    /**
     * The mean training loss of every epoch.
     * @return A copy.
     */
    public double[] trainingLoss() {
        return trainingLoss.clone();
    }

    /** A copy of the network (for distillation). */
    MSCREDNetwork networkCopy() {
        return network.copy();
    }

    /** The network itself (package use: read only). */
    MSCREDNetwork network() {
        return network;
    }

    /** The accumulator or null (package use: read only). */
    LongTermAccumulator accumulatorOrNull() {
        return lta;
    }

    /** The accumulator's initial state or null (package use: read only). */
    RecurrentState accumulatorStartOrNull() {
        return ltaStart;
    }

    /**
     * Exports the whole detector to ONNX, one graph run per input time: raw window in, count score, decision and
     * residual matrix out, and for an accumulator student the carried state in and out. The graph, its inputs and
     * outputs, metadata and the streaming protocol are described in {@link MSCREDOnnxExport}; its scores equal
     * {@link MSCREDStream}'s (to float32 rounding of the residuals, tested on SMD).
     * @param domain The ONNX domain.
     * @param modelVersion The model version.
     * @return The ONNX model.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        return MSCREDOnnxExport.export(this, domain, modelVersion);
    }

    /**
     * Writes the score graph reading {@code input} ({@code [batch, W·n]} raw windows, see {@link MSCREDOnnxExport});
     * for a model with an accumulator it also declares the {@value MSCREDOnnxExport#TIME} and state inputs in the
     * input's context (the state outputs are declared by {@link #exportONNXModel} only).
     * @param input The raw window input.
     * @return The score node {@code [batch, 1]}.
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        return MSCREDOnnxExport.write(this, input).score;
    }

    /** The scores of every input of a series, and the per-point view of them. */
    public static final class SeriesScores {
        private final int[] inputTimes;
        private final double[] inputScores;
        private final double[] pointScores;
        private final double[] pointEnergies;

        SeriesScores(int[] inputTimes, double[] inputScores, double[] pointScores, double[] pointEnergies) {
            this.inputTimes = inputTimes;
            this.inputScores = inputScores;
            this.pointScores = pointScores;
            this.pointEnergies = pointEnergies;
        }

        /**
         * A continuous alternative to the count score: per point, the residual energy {@code mean(Υ²)} of the
         * latest input (the count ties many points at 0; the energy ranks them).
         * @return A copy.
         */
        public double[] pointEnergies() {
            return pointEnergies.clone();
        }

        /**
         * The time (last point) of every input.
         * @return A copy.
         */
        public int[] inputTimes() {
            return inputTimes.clone();
        }

        /**
         * The count score of every input.
         * @return A copy.
         */
        public double[] inputScores() {
            return inputScores.clone();
        }

        /**
         * One score per point: the score of the latest input ending at or before it (points before the first input
         * get the first input's score).
         * @return A copy.
         */
        public double[] pointScores() {
            return pointScores.clone();
        }
    }

    /**
     * Scores a series (rows in the model's feature-id order), every input.
     * @param series The series.
     * @param threads 1 or 2 scoring threads (the result does not depend on it).
     * @return The scores.
     */
    public SeriesScores scoreSeries(MultivariateSeries series, int threads) {
        return scoreSeries(series, threads, 1);
    }

    /**
     * Scores a series, every {@code inputStep}-th input: one score per {@code inputStep · gap} points, so that models
     * with different gaps can be compared at the same output rate (the accumulator still reads every point).
     * @param series The series.
     * @param threads 1 or 2 scoring threads (the result does not depend on it).
     * @param inputStep Score every k-th input (k ≥ 1).
     * @return The scores.
     */
    public SeriesScores scoreSeries(MultivariateSeries series, int threads, int inputStep) {
        if (series.numVariables() != featureIDMap.size()) {
            throw new IllegalArgumentException("The series has " + series.numVariables() + " variables, the model "
                    + featureIDMap.size());
        }
        if (series.numSteps() <= signature.firstValidTime()) {
            throw new IllegalArgumentException("A series of " + series.numSteps() + " points is shorter than one "
                    + "input (" + (signature.firstValidTime() + 1) + " points)");
        }
        if (inputStep < 1) {
            throw new IllegalArgumentException("inputStep must be positive, found " + inputStep);
        }
        series = MSCREDData.standardised(series, inputStandardizer);
        SignatureMatrixSequence seq = signature.build(series, signature.firstMatrixTime(), threads);
        float[] stacks = augmentedStacks(seq, series.valuesView(), lta, ltaStart);
        int count = (seq.numInputs() - 1) / inputStep + 1;
        double[] counts = new double[count];
        double[] energies = new double[count];
        int[] times = new int[count];
        for (int i = 0; i < count; i++) {
            times[i] = seq.inputTime(i * inputStep);
        }
        scoreInputs(stacks, inputStep * seq.stackSize(), count, counts, energies, threads, null, times);
        double[] points = PointScores.fromGridScores(counts, times[0], inputStep * signature.gap(), series.numSteps());
        double[] pointEnergies = PointScores.fromGridScores(energies, times[0], inputStep * signature.gap(),
                series.numSteps());
        return new SeriesScores(times, counts, points, pointEnergies);
    }

    /**
     * The stacks of a sequence with {@code β} added (a copy), or the sequence's own stacks when there is no
     * accumulator.
     */
    static float[] augmentedStacks(SignatureMatrixSequence seq, float[] values, LongTermAccumulator lta,
                                   RecurrentState start) {
        if (lta == null) {
            return seq.valuesView();
        }
        float[] stacks = seq.copyValues();
        float[] beta = accumulatorBetas(lta, start, values, seq.numVariables(), seq.times());
        int n = seq.numVariables();
        int nn = n * n;
        int c = seq.config().numScales();
        for (int k = 0; k < seq.count(); k++) {
            for (int s = 0; s < c; s++) {
                int o = k * c * nn + s * nn;
                for (int j = 0; j < nn; j++) {
                    stacks[o + j] += beta[k * nn + j];
                }
            }
        }
        return stacks;
    }

    /**
     * β at each given (increasing) time, reading the points one at a time from the state {@code start} (not
     * modified) — exactly as {@link MSCREDStream} does, so that the batch and streaming scores are identical.
     */
    static float[] accumulatorBetas(LongTermAccumulator lta, RecurrentState start, float[] values, int n,
                                    int[] times) {
        float[] beta = new float[times.length * n * n];
        int last = times.length == 0 ? -1 : times[times.length - 1];
        readPoints(lta, start, values, n, last + 1, times, beta);
        return beta;
    }

    /**
     * Feeds points {@code [0, steps)} to the accumulator one at a time from {@code start} (not modified; null is
     * zeros), writing β at each of the increasing {@code times} into {@code beta} (may be empty/null).
     * @return The state after the last point.
     */
    static RecurrentState readPoints(LongTermAccumulator lta, RecurrentState start, float[] values, int n, int steps,
                                     int[] times, float[] beta) {
        RecurrentState state = start == null ? lta.newState() : start.copy();
        RecurrentLayer.Cache cache = lta.newCache(1);
        float[] h = new float[lta.hidden()];
        float[] point = new float[n];
        float[] block = new float[n * lta.summaryLength()];
        int k = 0;
        for (int t = 0; t < steps; t++) {
            System.arraycopy(values, t * n, point, 0, n);
            lta.forward(point, 1, state, h, cache);
            if (times != null && k < times.length && times[k] == t) {
                lta.summary(h, 0, block, 0, beta, k * n * n);
                k++;
            }
        }
        return state;
    }

    /**
     * Count scores of inputs {@code [0, count)}, input i starting at {@code i·inputStride} of {@code stacks} (the
     * stack size for overlapping inputs of one sequence, {@code T·stackSize} for separate ones); optionally keeps
     * every input's residual matrix (for calibration).
     */
    void scoreInputs(float[] stacks, int inputStride, int count, double[] out, int threads, float[][] residualsOut) {
        scoreInputs(stacks, inputStride, count, out, null, threads, residualsOut, null);
    }

    /**
     * As above, also writing every input's residual energy {@code mean(Υ²)} when {@code energies} is given; an
     * input whose residual matrix is not finite is handled by the {@link #nonFiniteScorePolicy()}, and named in
     * errors by its time from {@code times} (or its index when null).
     */
    void scoreInputs(float[] stacks, int inputStride, int count, double[] out, double[] energies, int threads,
                     float[][] residualsOut, int[] times) {
        int parts = Math.max(1, Math.min(threads, 2));
        if (parts == 1 || count < 2 * SCORING_BATCH) {
            scoreRange(stacks, inputStride, 0, count, out, energies, residualsOut, count, times);
            return;
        }
        int half = count / 2;
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tribuo-kd-mscred-scoring");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> second = pool.submit(() -> scoreRange(stacks, inputStride, half, count, out, energies,
                    residualsOut, 0, times));
            scoreRange(stacks, inputStride, 0, half, out, energies, residualsOut, count, times);
            second.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Scoring interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException("Scoring failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Scores inputs {@code [from, to)}; when {@code reportTotal > 0} this range logs progress about once a minute
     * as a share of its own range, standing for all {@code reportTotal} inputs (the ranges run side by side).
     */
    private void scoreRange(float[] stacks, int inputStride, int from, int to, double[] out, double[] energies,
                            float[][] residualsOut, int reportTotal, int[] times) {
        int inputSize = network.inputSize();
        int n = featureIDMap.size();
        MSCREDNetwork.Workspace ws = network.newWorkspace(SCORING_BATCH);
        float[] batch = new float[SCORING_BATCH * inputSize];
        float[] residuals = new float[SCORING_BATCH * n * n];
        long start = System.nanoTime();
        long lastReport = start;
        for (int first = from; first < to; first += SCORING_BATCH) {
            if (reportTotal > 0) {
                long now = System.nanoTime();
                if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
                    lastReport = now;
                    logger.info(String.format("MSCREDModel: scored about %.0f%% of %d inputs, %.0f s",
                            100.0 * (first - from) / (to - from), reportTotal, (now - start) * 1e-9));
                }
            }
            int b = Math.min(SCORING_BATCH, to - first);
            for (int r = 0; r < b; r++) {
                System.arraycopy(stacks, (first + r) * inputStride, batch, r * inputSize, inputSize);
            }
            network.residuals(batch, 0, b, ws, residuals);
            for (int r = 0; r < b; r++) {
                int o = r * n * n;
                boolean finite = FeatureMatrix.firstNonFinite(residuals, o, n * n) < 0;
                if (!finite) {
                    refuseUnlessAnomalous(residuals, o, n, times == null ? "input " + (first + r)
                            : "the input ending at time " + times[first + r]);
                }
                out[first + r] = finite ? Counts.countAbsAbove(residuals, o, n * n, tau) : Double.POSITIVE_INFINITY;
                if (energies != null) {
                    double e = 0;
                    for (int j = 0; j < n * n; j++) {
                        e += (double) residuals[o + j] * residuals[o + j];
                    }
                    energies[first + r] = finite ? e / (n * n) : Double.POSITIVE_INFINITY;
                }
                if (residualsOut != null) {
                    residualsOut[first + r] = java.util.Arrays.copyOfRange(residuals, o, o + n * n);
                }
            }
        }
    }

    /**
     * A streaming detector: push points one at a time; memory bounded by one input, not by the stream.
     * @return A new stream starting from the model's initial accumulator state.
     */
    public MSCREDStream newStream() {
        return new MSCREDStream(this, signature, network, lta, ltaStart, featureIDMap.size(), inputStandardizer);
    }

    /**
     * The score of one residual matrix (used by the stream): the count of entries above τ, or, when an entry is not
     * finite, what the {@link #nonFiniteScorePolicy()} says.
     * @param residuals The residual matrix {@code [n, n]}.
     * @param n The number of variables.
     * @param time The time of the input's last point, for error messages.
     * @return The score.
     */
    double streamScore(float[] residuals, int n, long time) {
        if (FeatureMatrix.firstNonFinite(residuals, 0, n * n) >= 0) {
            refuseUnlessAnomalous(residuals, 0, n, "the input ending at time " + time);
            return Double.POSITIVE_INFINITY;
        }
        return Counts.countAbsAbove(residuals, 0, n * n, tau);
    }

    /** Throws under the REFUSE policy: the residual matrix at {@code offset} holds a value that is not finite. */
    private void refuseUnlessAnomalous(float[] residuals, int offset, int n, String which) {
        if (nonFiniteScorePolicy == NonFiniteScorePolicy.ANOMALOUS) {
            return;
        }
        int bad = FeatureMatrix.firstNonFinite(residuals, offset, n * n);
        throw new IllegalStateException("MSCREDModel '" + name + "': the residual matrix of " + which + " is "
                + residuals[offset + bad] + " at entry (" + bad / n + ", " + bad % n + "), an overflow inside the"
                + " network (a point far outside the training range, or parameters that are not finite); its count"
                + " would read as normal, so it is refused (NonFiniteScorePolicy.REFUSE;"
                + " withNonFiniteScorePolicy(NonFiniteScorePolicy.ANOMALOUS) flags such inputs ANOMALOUS instead)");
    }

    /**
     * Refused: an MSCRED score needs the history of a series (one input spans
     * {@link SignatureMatrices#inputSpan()} consecutive points). Use {@link #predict(Iterable)} (or
     * {@code predict(Dataset)}) on the contiguous series in time order, {@link #scoreSeries}, or {@link #newStream()}
     * to score a live stream point by point.
     * @param example The example.
     * @return Never.
     * @throws UnsupportedOperationException Always, saying what to use instead.
     */
    @Override
    public Prediction<Event> predict(Example<Event> example) {
        throw new UnsupportedOperationException(singleExampleMessage());
    }

    private String singleExampleMessage() {
        return "MSCREDModel cannot score a single example: an MSCRED score needs the " + signature.inputSpan()
                + " consecutive points ending at it (signature matrices of scales "
                + java.util.Arrays.toString(signature.scales()) + ", " + signature.steps() + " steps " + signature.gap()
                + " points apart). Call predict(Iterable) or predict(Dataset) with the contiguous series in time order "
                + "(at least " + signature.inputSpan() + " points; every point gets the score of the latest input "
                + "ending at or before it), or use newStream() and push the points one at a time.";
    }

    /**
     * Scores the examples as one contiguous series in time order (see the class documentation): one prediction per
     * example, the score of the latest input ending at or before it.
     * @throws IllegalArgumentException If there are fewer examples than one input spans, or an example lacks a
     *                                  feature of the model (naming the example).
     */
    @Override
    protected List<Prediction<Event>> innerPredict(Iterable<Example<Event>> examples) {
        List<Example<Event>> list = new ArrayList<>();
        examples.forEach(list::add);
        if (list.size() < signature.inputSpan()) {
            throw new IllegalArgumentException("predict read " + list.size() + " examples, but MSCREDModel scores a "
                    + "contiguous series in time order of at least " + signature.inputSpan() + " points (one input). "
                    + "Pass the whole series, or use newStream() and push the points one at a time.");
        }
        float[] values = FeatureMatrix.toMatrix(list, featureIDMap);
        MultivariateSeries series = new MultivariateSeries("predict", list.size(), featureIDMap.size(), values);
        double[] scores = scoreSeries(series, 2).pointScores();
        List<Prediction<Event>> out = new ArrayList<>(list.size());
        for (int i = 0; i < scores.length; i++) {
            Event.EventType type = scores[i] > countThreshold ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED;
            out.add(new Prediction<>(new Event(type, scores[i]), featureIDMap.size(), list.get(i)));
        }
        return out;
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        return Optional.empty();
    }

    @Override
    protected MSCREDModel copy(String newName, ModelProvenance newProvenance) {
        return new MSCREDModel(newName, newProvenance, featureIDMap, outputIDInfo, signature, network.copy(),
                lta == null ? null : copyOf(lta), ltaStart, tau, countThreshold, trainingLoss, inputStandardizer);
    }

    private static LongTermAccumulator copyOf(LongTermAccumulator lta) {
        LongTermAccumulator c = new LongTermAccumulator(lta.cell(), lta.numVariables(), lta.hidden(),
                lta.summaryLength());
        c.setParameters(lta.parameters());
        return c;
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Event> carrier = createDataCarrier();
        MSCREDModelProto.Builder b = MSCREDModelProto.newBuilder()
                .setMetadata(carrier.serialize().toByteString())
                .setGap(signature.gap())
                .setSteps(signature.steps())
                .setAttentionRescale(network.attentionRescale())
                .setTau(tau)
                .setCountThreshold(countThreshold);
        for (int s : signature.scales()) {
            b.addScales(s);
        }
        for (int l = 1; l <= network.levels(); l++) {
            b.addChannels(network.levelChannels(l));
            b.addKernels(network.kernel(l));
            b.addStrides(network.stride(l));
        }
        for (float p : network.parameters()) {
            b.addParameters(p);
        }
        if (lta != null) {
            b.setLtaCell(lta.cell().name()).setLtaHidden(lta.hidden()).setLtaSummaryLength(lta.summaryLength());
            for (float p : lta.parameters()) {
                b.addLtaParameters(p);
            }
            if (ltaStart != null) {
                for (float v : ltaStart.h()) {
                    b.addLtaStateH(v);
                }
                if (ltaStart.hasCell()) {
                    for (float v : ltaStart.c()) {
                        b.addLtaStateC(v);
                    }
                }
            }
        }
        for (double l : trainingLoss) {
            b.addTrainingLoss(l);
        }
        if (inputStandardizer != null) {
            FeatureStandardizerProto sp = inputStandardizer.toProto();
            b.addAllInputMean(sp.getMeanList()).addAllInputScale(sp.getScaleList());
        }
        return ProtoSupport.modelProto(CURRENT_VERSION, MSCREDModel.class, b.build());
    }

    /**
     * Protobuf deserialization factory (found by Tribuo's {@code ProtoUtil} by reflection).
     * @param version The serialized version.
     * @param className The class name.
     * @param message The serialized data.
     * @return The model.
     * @throws InvalidProtocolBufferException If the message is not an {@link MSCREDModelProto}.
     */
    @SuppressWarnings("unchecked")
    public static MSCREDModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        String me = MSCREDModel.class.getSimpleName();
        ProtoSupport.checkVersion(version, CURRENT_VERSION, me);
        MSCREDModelProto proto = ProtoSupport.unpack(message, MSCREDModelProto.class, me);
        ModelDataCarrier<?> carrier = ProtoSupport.readMetadata(proto.getMetadata(), Event.class, me);
        int n = carrier.featureDomain().size();
        double attentionRescale = ProtoSupport.positive(proto.getAttentionRescale(), me, "attention_rescale");
        double tau = ProtoSupport.atLeast(proto.getTau(), 0, me, "tau"); // a bound on |residual|
        double countThreshold = ProtoSupport.atLeast(proto.getCountThreshold(), 0, me, "count_threshold");
        if (countThreshold > (double) n * n) {
            throw ProtoSupport.invalid(me, "count_threshold", "is " + countThreshold + ", above the " + n * n
                    + " entries of a residual matrix (no input could ever be ANOMALOUS)");
        }
        SignatureMatrices sig;
        MSCREDNetwork net;
        try {
            sig = new SignatureMatrices(proto.getScalesList().stream().mapToInt(i -> i).toArray(), proto.getGap(),
                    proto.getSteps());
            net = new MSCREDNetwork(sig.numScales(), n, sig.steps(),
                    proto.getChannelsList().stream().mapToInt(i -> i).toArray(),
                    proto.getKernelsList().stream().mapToInt(i -> i).toArray(),
                    proto.getStridesList().stream().mapToInt(i -> i).toArray(), attentionRescale);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + e.getMessage(), e);
        }
        net.setParameters(ProtoSupport.finiteFloats(proto.getParametersList(), net.numParameters(), me,
                "parameters"));
        LongTermAccumulator lta = null;
        RecurrentState start = null;
        if (!proto.getLtaCell().isEmpty()) {
            try {
                lta = new LongTermAccumulator(LongTermAccumulator.Cell.parse(proto.getLtaCell()), n,
                        proto.getLtaHidden(), proto.getLtaSummaryLength());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("Invalid protobuf for " + me + ": " + e.getMessage(), e);
            }
            lta.setParameters(ProtoSupport.finiteFloats(proto.getLtaParametersList(), lta.numParameters(), me,
                    "lta_parameters"));
            if (proto.getLtaStateHCount() > 0) {
                start = lta.newState();
                System.arraycopy(ProtoSupport.finiteFloats(proto.getLtaStateHList(), lta.hidden(), me,
                        "lta_state_h"), 0, start.h(), 0, lta.hidden());
                if (start.hasCell()) {
                    System.arraycopy(ProtoSupport.finiteFloats(proto.getLtaStateCList(), lta.hidden(), me,
                            "lta_state_c"), 0, start.c(), 0, lta.hidden());
                }
            }
        }
        double[] loss = proto.getTrainingLossList().stream().mapToDouble(Double::doubleValue).toArray();
        FeatureStandardizer standardizer = null;
        if (proto.getInputMeanCount() > 0 || proto.getInputScaleCount() > 0) {
            standardizer = ProtoSupport.standardizer(FeatureStandardizerProto.newBuilder()
                    .addAllMean(proto.getInputMeanList()).addAllScale(proto.getInputScaleList()).build(), n, me,
                    "input_mean/input_scale");
        }
        try {
            return new MSCREDModel(carrier.name(), carrier.provenance(), carrier.featureDomain(),
                    (ImmutableOutputInfo<Event>) carrier.outputDomain(), sig, net, lta, start, tau, countThreshold,
                    loss, standardizer);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid protobuf for " + me + ": " + e.getMessage(), e);
        }
    }
}
