package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.EpochLoop;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.nn.SequentialNetwork;
import io.github.tribuokd.nn.ShardedGradient;
import io.github.tribuokd.nn.kernels.Lanes;
import io.github.tribuokd.nn.kernels.SequentialShard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Co-learning of an autoencoder teacher and score-regression students (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.2–2.4): one
 * joint loss, the teacher's reconstruction MSE plus every student's MAE on the teacher's current log score,
 * minimised on the same minibatches.
 * <p>
 * <b>One step</b> on a minibatch of {@code b} normal images {@code x_i}:
 * <ol>
 *     <li>teacher forward and backward on {@code x_i}; its per-image MSE before the update is the score
 *     {@code S_i = 1/d Σ_j (x_ij − x̂_ij)²} (seed eq. {@code S_i = L(x_i, D(E(x_i)))}) and the students' target
 *     is {@code t_i = ln(S_i + ε)};</li>
 *     <li>for students with {@link StudentExposure#OUTLIERS}: {@code round(b·exposureRatio)} images of the outlier
 *     pool (a reshuffled cycle through it) are scored by the same teacher; for {@link StudentExposure#NOISE}: as
 *     many noisy copies {@code x + σ·N(0,1)} of the batch's images;</li>
 *     <li>the teacher's optimiser step; each student's forward, MAE on its standardised targets, backward and
 *     optimiser step on the normal images plus its exposure images.</li>
 * </ol>
 * The targets are constants for the students (the teacher's gradient is its reconstruction loss only), so the
 * teacher's trajectory does not depend on the students: several students (any exposures) learn alongside one
 * teacher run, and the teacher equals the one trained without students from the same seed (tested).
 * <p>
 * A student predicts {@code (t − mean)/scale}, with {@code mean} and {@code scale} the mean and standard deviation
 * of its targets at the first step (fixed afterwards), so that its linear output starts near the right range.
 * <p>
 * <b>Determinism.</b> The random source is split once, in a fixed order, into streams for the teacher's shuffling,
 * the outlier draws and the noise; the teacher's batch is split into {@link MinibatchTraining#SHARDS} fixed shards
 * whose gradients are added in shard order; each student's step runs on one thread. Threads only change which work
 * runs at the same time, so a seed gives bit-identical networks on 1 or 2 threads. The epochs are the engine's
 * {@link EpochLoop}, the teacher's shards a {@link ShardedGradient}, the threads {@link Lanes}.
 */
public final class CoLearning {

    private CoLearning() { }

    /** A student taking part in co-learning. */
    public static final class Student {
        private final SequentialNetwork network;
        private final Optimiser optimiser;
        private final LossFunction loss;
        private final StudentExposure exposure;
        private final String name;
        private float targetMean = Float.NaN;
        private float targetScale = Float.NaN;
        private double[] lossHistory;

        /**
         * Creates a student.
         * @param network The network, initialised, with one output.
         * @param optimiser Its optimiser (copied before use).
         * @param loss Its loss on standardised targets (MAE in the seed).
         * @param exposure Its extra training inputs.
         * @param name A name for logs.
         */
        public Student(SequentialNetwork network, Optimiser optimiser, LossFunction loss, StudentExposure exposure,
                       String name) {
            if (network.outputSize() != 1) {
                throw new IllegalArgumentException("A score-regression student has one output, " + name + " has "
                        + network.outputSize());
            }
            this.network = network;
            this.optimiser = optimiser.copy();
            this.loss = loss;
            this.exposure = exposure;
            this.name = name;
        }

        /**
         * The network (trained in place).
         * @return The network.
         */
        public SequentialNetwork network() {
            return network;
        }

        /**
         * The exposure.
         * @return The exposure.
         */
        public StudentExposure exposure() {
            return exposure;
        }

        /**
         * The mean of the targets at the first step ({@code ŷ = mean + scale·net(x)}).
         * @return The target mean.
         */
        public float targetMean() {
            return targetMean;
        }

        /**
         * The standard deviation of the targets at the first step.
         * @return The target scale.
         */
        public float targetScale() {
            return targetScale;
        }

        /**
         * The mean training loss (on standardised targets) of every epoch.
         * @return A copy, or null before training.
         */
        public double[] lossHistory() {
            return lossHistory == null ? null : lossHistory.clone();
        }
    }

    /**
     * Runs co-learning.
     * @param teacher The teacher autoencoder, initialised; trained in place.
     * @param teacherOptimiser The teacher's optimiser (copied before use).
     * @param normals The normal images {@code [n, d]}.
     * @param n The number of normal images.
     * @param students The students (trained in place); may be empty.
     * @param outliers The outlier pool {@code [m, d]} for {@link StudentExposure#OUTLIERS} students, or null.
     * @param numOutliers m.
     * @param noiseStd σ of {@link StudentExposure#NOISE} (0.1 in the seed).
     * @param exposureRatio Exposure images per normal image in a student's batch.
     * @param epsilon ε of the log target.
     * @param epochs Passes over the normal images.
     * @param batchSize Normal images per step.
     * @param rng The random source (split here in a fixed order).
     * @param threads 1 or 2.
     * @return The teacher's mean training MSE of every epoch.
     */
    public static double[] run(SequentialNetwork teacher, Optimiser teacherOptimiser, float[] normals, int n,
                               List<Student> students, float[] outliers, int numOutliers, double noiseStd,
                               double exposureRatio, double epsilon, int epochs, int batchSize,
                               SplittableRandom rng, int threads) {
        int d = teacher.inputSize();
        if (teacher.outputSize() != d) {
            throw new IllegalArgumentException("The teacher must be an autoencoder, found " + d + " inputs and "
                    + teacher.outputSize() + " outputs");
        }
        if (n < 1 || normals.length < (long) n * d) {
            throw new IllegalArgumentException("Co-learning needs normal images, found " + n + " in a buffer of "
                    + normals.length + " floats of width " + d);
        }
        if (epochs < 1 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, batchSize and threads must be positive, found " + epochs
                    + ", " + batchSize + ", " + threads);
        }
        boolean needOutliers = false;
        boolean needNoise = false;
        for (Student s : students) {
            if (s.network.inputSize() != d) {
                throw new IllegalArgumentException("Student " + s.name + " reads " + s.network.inputSize()
                        + " inputs, the teacher " + d);
            }
            needOutliers |= s.exposure == StudentExposure.OUTLIERS;
            needNoise |= s.exposure == StudentExposure.NOISE;
        }
        if (needOutliers && (outliers == null || numOutliers < 1 || outliers.length < (long) numOutliers * d)) {
            throw new IllegalArgumentException("A student uses outlier exposure but no outlier images of width " + d
                    + " were given");
        }
        if (!(exposureRatio > 0) && (needOutliers || needNoise)) {
            throw new IllegalArgumentException("exposureRatio must be positive, found " + exposureRatio);
        }
        // Fixed-order split: the teacher's stream does not depend on the students.
        SplittableRandom teacherRng = rng.split();
        SplittableRandom outlierRng = rng.split();
        SplittableRandom noiseRng = rng.split();

        EpochLoop loop = new EpochLoop("co-learning", n, epochs, batchSize, teacherRng).lossName("teacher MSE");
        int b = loop.maxBatch();
        int maxExtra = (needOutliers || needNoise) ? (int) Math.round(b * exposureRatio) : 0;
        ShardedGradient<SequentialShard> teacherGradient = new ShardedGradient<>(
                capacity -> new SequentialShard(teacher, normals, null, LossFunction.MSE, capacity), b,
                teacher.numParameters());
        int scoreCapacity = Math.max(1, (maxExtra + 1) / 2);
        SequentialNetwork.Workspace[] scoring = {teacher.newWorkspace(scoreCapacity),
                teacher.newWorkspace(scoreCapacity)};
        Optimiser tOpt = teacherOptimiser.copy();
        tOpt.initialise(teacher.numParameters());

        // Per-step student data, one buffer per exposure: rows [0, size) are the batch's normal images.
        int rowsMax = b + maxExtra;
        float[][] stepX = new float[StudentExposure.values().length][];
        float[][] stepT = new float[StudentExposure.values().length][];
        for (StudentExposure e : StudentExposure.values()) {
            boolean used = students.stream().anyMatch(s -> s.exposure == e);
            stepX[e.ordinal()] = used ? new float[rowsMax * d] : null;
            stepT[e.ordinal()] = used ? new float[rowsMax] : null;
        }
        int[] identity = new int[rowsMax];
        for (int i = 0; i < rowsMax; i++) {
            identity[i] = i;
        }
        List<SequentialShard> studentShards = new ArrayList<>();
        List<float[]> studentTargets = new ArrayList<>();
        for (Student s : students) {
            studentShards.add(new SequentialShard(s.network, new float[0], new float[0], s.loss, rowsMax));
            studentTargets.add(new float[rowsMax]);
            s.optimiser.initialise(s.network.numParameters());
            s.lossHistory = new double[epochs];
        }
        int[] outlierOrder = new int[Math.max(numOutliers, 0)];
        for (int i = 0; i < outlierOrder.length; i++) {
            outlierOrder[i] = i;
        }
        double[] studentLossSums = new double[students.size()];
        int[] studentRows = new int[students.size()];
        double[] studentLosses = new double[students.size()];
        try (Lanes lanes = Lanes.open(threads, "tribuo-kd-colearning")) {
            return loop.run(new EpochLoop.Batches() {
                private int outlierPos = outlierOrder.length; // forces a shuffle at the first draw
                private final double[] noLosses = new double[2];

                @Override
                public void startEpoch(int epoch) {
                    Arrays.fill(studentLossSums, 0);
                    Arrays.fill(studentRows, 0);
                }

                @Override
                public void step(int[] order, int from, int size, EpochLoop.Loss loss) {
                    // 1. Teacher forward/backward on the normal batch, two fixed shards.
                    float[] teacherGrads = teacherGradient.compute(lanes, order, from, size, loss);
                    if (students.isEmpty()) {
                        tOpt.step(teacher.parameters(), teacherGrads);
                        return;
                    }
                    // The normal rows and their targets, shared by every exposure's buffer.
                    int extra = (int) Math.round(size * exposureRatio);
                    for (StudentExposure e : StudentExposure.values()) {
                        float[] x = stepX[e.ordinal()];
                        if (x == null) {
                            continue;
                        }
                        float[] t = stepT[e.ordinal()];
                        int row = 0;
                        for (int s = 0; s < teacherGradient.numShards(); s++) {
                            SequentialShard shard = teacherGradient.shard(s);
                            float[] losses = shard.rowLosses();
                            for (int r = 0; r < shard.rows(); r++, row++) {
                                t[row] = (float) Math.log(losses[r] + epsilon);
                            }
                        }
                        for (int r = 0; r < size; r++) {
                            System.arraycopy(normals, order[from + r] * d, x, r * d, d);
                        }
                    }
                    // 2. Exposure images, scored by the teacher before its update.
                    if (stepX[StudentExposure.OUTLIERS.ordinal()] != null) {
                        float[] x = stepX[StudentExposure.OUTLIERS.ordinal()];
                        for (int r = 0; r < extra; r++) {
                            if (outlierPos == outlierOrder.length) {
                                MinibatchTraining.shuffle(outlierOrder, outlierRng);
                                outlierPos = 0;
                            }
                            System.arraycopy(outliers, outlierOrder[outlierPos++] * d, x, (size + r) * d, d);
                        }
                        scoreRows(teacher, scoring, lanes, x, size, extra, epsilon,
                                stepT[StudentExposure.OUTLIERS.ordinal()], noLosses);
                    }
                    if (stepX[StudentExposure.NOISE.ordinal()] != null) {
                        float[] x = stepX[StudentExposure.NOISE.ordinal()];
                        for (int r = 0; r < extra; r++) {
                            int src = order[from + (r % size)] * d;
                            int dst = (size + r) * d;
                            for (int j = 0; j < d; j++) {
                                x[dst + j] = normals[src + j] + (float) (noiseStd * gaussian(noiseRng));
                            }
                        }
                        scoreRows(teacher, scoring, lanes, x, size, extra, epsilon,
                                stepT[StudentExposure.NOISE.ordinal()], noLosses);
                    }
                    // 3. The teacher's update and every student's step.
                    tOpt.step(teacher.parameters(), teacherGrads);
                    for (int si = 0; si < students.size(); si++) {
                        studentRows[si] += students.get(si).exposure == StudentExposure.NONE ? size : size + extra;
                    }
                    lanes.run(students.size(), si -> {
                        Student st = students.get(si);
                        SequentialShard shard = studentShards.get(si);
                        float[] targets = studentTargets.get(si);
                        int rows = st.exposure == StudentExposure.NONE ? size : size + extra;
                        float[] t = stepT[st.exposure.ordinal()];
                        if (Float.isNaN(st.targetMean)) {
                            setStandardisation(st, t, rows);
                        }
                        for (int r = 0; r < rows; r++) {
                            targets[r] = (t[r] - st.targetMean) / st.targetScale;
                        }
                        shard.setData(stepX[st.exposure.ordinal()], targets);
                        double l = shard.compute(identity, 0, rows, rows);
                        st.optimiser.step(st.network.parameters(), shard.gradients());
                        return l;
                    }, studentLosses);
                    for (int si = 0; si < students.size(); si++) {
                        studentLossSums[si] += studentLosses[si];
                    }
                }

                @Override
                public String endEpoch(int epoch, double meanLoss) {
                    StringBuilder sb = new StringBuilder();
                    for (int si = 0; si < students.size(); si++) {
                        Student st = students.get(si);
                        st.lossHistory[epoch] = studentLossSums[si] / Math.max(1, studentRows[si]);
                        if (!Double.isFinite(st.lossHistory[epoch])) {
                            throw new IllegalStateException("Co-learning: student " + st.name
                                    + " diverged at epoch " + (epoch + 1) + "; lower its learning rate");
                        }
                        sb.append(String.format(", %s %.4g", st.name, st.lossHistory[epoch]));
                    }
                    return sb.toString();
                }
            }, d);
        }
    }

    /** The student's target standardisation from its first batch of targets. */
    private static void setStandardisation(Student st, float[] t, int rows) {
        double mean = 0;
        for (int r = 0; r < rows; r++) {
            mean += t[r];
        }
        mean /= rows;
        double var = 0;
        for (int r = 0; r < rows; r++) {
            double e = t[r] - mean;
            var += e * e;
        }
        double sd = Math.sqrt(var / rows);
        st.targetMean = (float) mean;
        st.targetScale = sd > 1e-6 ? (float) sd : 1f;
    }

    /** Teacher log scores of rows [first, first + count) of x into t, split over the two scoring workspaces. */
    private static void scoreRows(SequentialNetwork teacher, SequentialNetwork.Workspace[] ws, Lanes lanes,
                                  float[] x, int first, int count, double epsilon, float[] t, double[] results) {
        int d = teacher.inputSize();
        int half = (count + 1) / 2;
        lanes.run(2, part -> {
            int lo = first + (part == 0 ? 0 : half);
            int rows = part == 0 ? half : count - half;
            if (rows == 0) {
                return 0.0;
            }
            float[] recon = teacher.infer(x, lo * d, rows, ws[part]);
            for (int r = 0; r < rows; r++) {
                double s = AbstractScoredAnomalyModel.squaredError(x, (lo + r) * d, recon, r * d, d);
                t[lo + r] = (float) Math.log(s / d + epsilon);
            }
            return 0.0;
        }, results);
    }

    /** A standard normal draw (Box–Muller, one of the pair; deterministic for a stream). */
    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
