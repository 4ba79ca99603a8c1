package io.github.tribuokd.nn;

import java.util.Arrays;

/**
 * Re-arrangements of sequence batches for the recurrent layers.
 * <p>
 * Two layouts, both row-major:
 * <ul>
 *   <li><b>time-major</b> {@code [steps, batch, features]}: element (t, b, f) at {@code (t·batch + b)·features + f};
 *       what every {@link RecurrentLayer} reads and writes (a time step is one contiguous block);</li>
 *   <li><b>batch-major</b> {@code [batch, steps, features]}: element (b, t, f) at
 *       {@code (b·steps + t)·features + f}; how a window of a series sits in a Tribuo example (one window per row).</li>
 * </ul>
 * For the LSTM encoder-decoder of Malhotra et al. 2016 (seed 000 (Kim and Kim, "Knowledge distillation for anomaly detection in multivariate time series data"; docs/PAPERS.md)), the decoder reconstructs the window in reverse
 * order ({@link #reverseTime}) and, in training, is fed the previous target step (teacher forcing,
 * {@link #shiftRight}).
 * <p>
 * None of these methods allocate.
 */
public final class SequenceOps {

    private SequenceOps() { }

    /**
     * {@code dst[t, b, f] = src[b, t, f]}: batch-major to time-major.
     * @param src {@code [batch, steps, features]}.
     * @param batch The number of sequences.
     * @param steps The number of time steps.
     * @param features The features per step.
     * @param dst Receives {@code [steps, batch, features]}; must not be {@code src}.
     */
    public static void batchMajorToTimeMajor(float[] src, int batch, int steps, int features, float[] dst) {
        checkSizes(src, batch, steps, features, dst);
        if (src == dst && batch > 1 && steps > 1) {
            throw new IllegalArgumentException("batchMajorToTimeMajor cannot work in place");
        }
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(src, (b * steps + t) * features, dst, (t * batch + b) * features, features);
            }
        }
    }

    /**
     * {@code dst[b, t, f] = src[t, b, f]}: time-major to batch-major, the inverse of
     * {@link #batchMajorToTimeMajor}.
     * @param src {@code [steps, batch, features]}.
     * @param steps The number of time steps.
     * @param batch The number of sequences.
     * @param features The features per step.
     * @param dst Receives {@code [batch, steps, features]}; must not be {@code src}.
     */
    public static void timeMajorToBatchMajor(float[] src, int steps, int batch, int features, float[] dst) {
        checkSizes(src, batch, steps, features, dst);
        if (src == dst && batch > 1 && steps > 1) {
            throw new IllegalArgumentException("timeMajorToBatchMajor cannot work in place");
        }
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(src, (t * batch + b) * features, dst, (b * steps + t) * features, features);
            }
        }
    }

    /**
     * {@code dst[t] = src[steps − 1 − t]} for every time step (time-major): the reversed targets of the
     * encoder-decoder of Malhotra et al. 2016 (seed 000), whose decoder outputs {@code x'_L, x'_{L−1}, …, x'_1}.
     * @param src {@code [steps, batch, features]}.
     * @param steps The number of time steps.
     * @param batch The number of sequences.
     * @param features The features per step.
     * @param dst Receives {@code [steps, batch, features]}; may be {@code src} (reverses in place).
     */
    public static void reverseTime(float[] src, int steps, int batch, int features, float[] dst) {
        checkSizes(src, batch, steps, features, dst);
        int block = batch * features;
        if (src == dst) {
            for (int lo = 0, hi = steps - 1; lo < hi; lo++, hi--) {
                int a = lo * block;
                int b = hi * block;
                for (int i = 0; i < block; i++) {
                    float tmp = dst[a + i];
                    dst[a + i] = dst[b + i];
                    dst[b + i] = tmp;
                }
            }
        } else {
            for (int t = 0; t < steps; t++) {
                System.arraycopy(src, (steps - 1 - t) * block, dst, t * block, block);
            }
        }
    }

    /**
     * Teacher forcing: the decoder inputs for a target sequence, {@code dst[0] = 0} and
     * {@code dst[t] = target[t − 1]} for t ≥ 1 (time-major), so that the decoder predicts step t from the true step
     * t − 1 (Malhotra et al. 2016, seed 000, in training).
     * @param target {@code [steps, batch, features]}.
     * @param steps The number of time steps.
     * @param batch The number of sequences.
     * @param features The features per step.
     * @param dst Receives {@code [steps, batch, features]}; may be {@code target} (shifts in place).
     */
    public static void shiftRight(float[] target, int steps, int batch, int features, float[] dst) {
        checkSizes(target, batch, steps, features, dst);
        int block = batch * features;
        // System.arraycopy copies as if through a temporary array, so overlapping in-place shifts are safe.
        System.arraycopy(target, 0, dst, block, (steps - 1) * block);
        Arrays.fill(dst, 0, block, 0f);
    }

    private static void checkSizes(float[] src, int batch, int steps, int features, float[] dst) {
        if (batch < 1 || steps < 1 || features < 1) {
            throw new IllegalArgumentException("batch, steps and features must be positive, found batch " + batch
                    + ", steps " + steps + ", features " + features);
        }
        int n = Math.multiplyExact(Math.multiplyExact(batch, steps), features);
        if (src.length < n || dst.length < n) {
            throw new IllegalArgumentException("A sequence batch of " + steps + " steps, batch " + batch + " and "
                    + features + " features needs " + n + " floats, found source " + src.length + " and destination "
                    + dst.length);
        }
    }
}
