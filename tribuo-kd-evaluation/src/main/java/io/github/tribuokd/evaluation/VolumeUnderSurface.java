package io.github.tribuokd.evaluation;

import java.util.Arrays;

/**
 * VUS-ROC and VUS-PR: the volume under the range-based ROC and PR surfaces (Paparrizos, Boniol, Palpanas, Tsay,
 * Elmore and Franklin, "Volume Under the Surface: A New Accuracy Evaluation Measure for Time-Series Anomaly
 * Detection", VLDB 2022), computed exactly as TSB-AD's default {@code "opt"} route ({@code RangeAUC_volume_opt},
 * Liu &amp; Paparrizos, NeurIPS 2024 Datasets and Benchmarks; {@code TheDatumOrg/TSB-AD} commit 8763009), which is
 * the ranking metric of that benchmark.
 * <p>
 * <b>Definition.</b> Let {@code P} be the number of anomalous points and {@code S} the true segments (maximal runs
 * of 1s, inclusive ends {@code [s, e]}). For a buffer length {@code ℓ = 0, 1, …, W} (the sliding window) with
 * half-width {@code h = ⌊ℓ/2⌋} (VLDB 2022, Sec. 4, the "buffer" around each range):
 * <ul>
 *     <li>every normal point {@code t} at distance {@code d = t − e} after or {@code d = s − t} before a segment,
 *     {@code 1 ≤ d ≤ h}, gets the soft label {@code ℓ_t = min(1, Σ √(1 − d/ℓ))}, summed over the segments that reach
 *     it (TSB-AD's {@code sequencing}; the VLDB paper's eq. 3 uses a linear ramp, TSB-AD a square root);</li>
 *     <li>the <i>regions</i> {@code L_ℓ} are the segments widened by {@code h} on both sides (clipped to the series),
 *     merged when {@code e_i + h ≥ s_{i+1} − h} (TSB-AD's {@code new_sequence});</li>
 *     <li>for each of 250 thresholds {@code τ_k = sort_desc(score)[⌊k·(n−1)/249⌋]} ({@code np.linspace(0, n−1,
 *     250).astype(int)}, the last index {@code n − 1}), a point is predicted when {@code score ≥ τ_k}
 *     (<b>not</b> strictly above: TSB-AD's convention for VUS), {@code N_k} points in all;</li>
 *     <li>{@code E_k = Σ ℓ_t} over predicted buffer points, {@code TP_k = #(predicted anomalous points) + E_k},
 *     {@code P'_k = (P + (P + E_k)) / 2}, {@code recall_k = min(1, TP_k / P'_k)}, existence ratio
 *     {@code x_k = #(regions of L_ℓ holding a predicted point) / |L_ℓ|},
 *     {@code TPR_k = recall_k · x_k}, {@code FPR_k = (N_k − TP_k) / (n − P'_k)}, {@code Prec_k = TP_k / N_k}
 *     (VLDB 2022, eqs. 4&ndash;7, with TSB-AD's halved {@code P'});</li>
 *     <li>range-AUC-ROC(ℓ) is the trapezoid area of the curve {@code (0,0), (FPR_k, TPR_k)_{k=0..249}, (1,1)};
 *     range-AUC-PR(ℓ) {@code = Σ_k (TPR_k − TPR_{k−1}) · Prec_k} with {@code TPR_{−1} = 0} (a step sum);</li>
 *     <li>{@code VUS-ROC = mean_{ℓ=0..W} range-AUC-ROC(ℓ)} and {@code VUS-PR = mean_{ℓ=0..W} range-AUC-PR(ℓ)}
 *     (VLDB 2022, eq. 8, discretised as TSB-AD does: {@code W + 1} buffer lengths).</li>
 * </ul>
 * Each quirk above (the square-root ramp, {@code ≥} thresholds taken at 250 rank positions, the halved {@code P'},
 * unmerged but touching regions counted separately, buffer lengths 0 and 1 both meaning no buffer) is <b>TSB-AD's
 * convention</b>, kept so that numbers can be read beside TSB-AD's tables (golden tests against the reference agree
 * within 1e-9). With {@code W = 0} the figures are point-wise range-AUCs on the 250-threshold grid.
 * <p>
 * <b>Window.</b> TSB-AD sets {@code W} per series to a period estimate of the data ({@code find_length_rank}); its
 * {@code get_metrics} default is 100. This class takes {@code W} as a parameter; {@link #DEFAULT_WINDOW} is 100.
 * <p>
 * <b>Cost.</b> The reference is {@code O(W · 250 · n)}. Here: one sort ({@code O(n log n)}), then each point is
 * mapped by binary search to the first threshold it passes ({@code O(n log 250)}), per-threshold counts are
 * histogram prefix sums, and each buffer length visits only the points inside its regions:
 * {@code O(n log n + W · (m + 250))} time and {@code O(n)} memory, where {@code m} is the number of points within
 * {@code W/2} of a segment. On 1,000,000 points with {@code W = 100} that is well under a second (BENCHMARKS.md).
 */
public final class VolumeUnderSurface {

    /** The default sliding window {@code W} (TSB-AD's {@code get_metrics} default). */
    public static final int DEFAULT_WINDOW = 100;

    /** The number of thresholds per buffer length (TSB-AD's {@code thre}). */
    public static final int THRESHOLDS = 250;

    /** The metric name used in exception messages. */
    public static final String NAME = "VUS";

    private VolumeUnderSurface() {}

    /**
     * VUS-ROC, VUS-PR and the range-AUCs for each buffer length; immutable.
     */
    public static final class Result {
        private final int window;
        private final double vusRoc;
        private final double vusPr;
        private final double[] rangeAucRoc;
        private final double[] rangeAucPr;

        private Result(int window, double vusRoc, double vusPr, double[] rangeAucRoc, double[] rangeAucPr) {
            this.window = window;
            this.vusRoc = vusRoc;
            this.vusPr = vusPr;
            this.rangeAucRoc = rangeAucRoc;
            this.rangeAucPr = rangeAucPr;
        }

        /** @return The sliding window {@code W} (buffer lengths 0..W). */
        public int window() {
            return window;
        }

        /** @return VUS-ROC, the mean range-AUC-ROC over buffer lengths 0..W. */
        public double vusRoc() {
            return vusRoc;
        }

        /** @return VUS-PR, the mean range-AUC-PR over buffer lengths 0..W. */
        public double vusPr() {
            return vusPr;
        }

        /** @return The range-AUC-ROC for each buffer length 0..W (a copy). */
        public double[] rangeAucRoc() {
            return rangeAucRoc.clone();
        }

        /** @return The range-AUC-PR for each buffer length 0..W (a copy). */
        public double[] rangeAucPr() {
            return rangeAucPr.clone();
        }

        @Override
        public String toString() {
            return "VolumeUnderSurface.Result(window=" + window + ", vusRoc=" + vusRoc + ", vusPr=" + vusPr + ")";
        }
    }

    /**
     * Computes VUS-ROC and VUS-PR with the {@link #DEFAULT_WINDOW}.
     * @param scores The anomaly scores in time order, finite, higher = more anomalous.
     * @param labels The 0/1 labels in time order; both classes must be present.
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid or one class is missing.
     */
    public static Result compute(double[] scores, int[] labels) {
        return compute(scores, labels, DEFAULT_WINDOW);
    }

    /**
     * Computes VUS-ROC and VUS-PR over buffer lengths {@code 0..window}.
     * @param scores The anomaly scores in time order, finite, higher = more anomalous.
     * @param labels The 0/1 labels in time order; both classes must be present (TSB-AD's code fails otherwise).
     * @param window The sliding window {@code W >= 0}.
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid (see
     *                                  {@link MetricInputs#checkScoresAndLabels(double[], int[])}), one class is
     *                                  missing, or the window is negative.
     */
    public static Result compute(double[] scores, int[] labels, int window) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        MetricInputs.requireBothClasses(labels, NAME);
        if (window < 0) {
            throw new IllegalArgumentException("The VUS window must be >= 0, found " + window);
        }
        int n = scores.length;
        // Thresholds: scores sorted descending, taken at np.linspace(0, n-1, 250).astype(int).
        double[] ascending = scores.clone();
        Arrays.sort(ascending);
        double[] linspace = TsbAdConventions.linspace(0.0, n - 1, THRESHOLDS);
        double[] thresholds = new double[THRESHOLDS];
        for (int k = 0; k < THRESHOLDS; k++) {
            thresholds[k] = ascending[n - 1 - (int) linspace[k]];
        }
        // firstK[i]: the first threshold index k with score_i >= thresholds[k] (thresholds are non-increasing and
        // the last is the minimum, so it exists).
        int[] firstK = new int[n];
        long[] predicted = new long[THRESHOLDS];
        long[] anomalousPredicted = new long[THRESHOLDS];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            double s = scores[i];
            int lo = 0;
            int hi = THRESHOLDS - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (s >= thresholds[mid]) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            firstK[i] = lo;
            predicted[lo]++;
            if (labels[i] == 1) {
                anomalousPredicted[lo]++;
                positives++;
            }
        }
        for (int k = 1; k < THRESHOLDS; k++) {
            predicted[k] += predicted[k - 1];
            anomalousPredicted[k] += anomalousPredicted[k - 1];
        }
        int[] segments = Segments.flat(labels); // start, endExclusive
        int numSegments = segments.length / 2;
        // The minimum firstK inside each segment, shared by every buffer length.
        int[] segmentMinK = new int[numSegments];
        for (int g = 0; g < numSegments; g++) {
            int min = THRESHOLDS;
            for (int t = segments[2 * g]; t < segments[2 * g + 1]; t++) {
                min = Math.min(min, firstK[t]);
            }
            segmentMinK[g] = min;
        }
        double[] soft = new double[n]; // buffer soft labels of the current length, reset after use
        double[] bufferHistogram = new double[THRESHOLDS];
        long[] existenceHistogram = new long[THRESHOLDS];
        double[] tpr = new double[THRESHOLDS];
        double[] fpr = new double[THRESHOLDS];
        double[] precision = new double[THRESHOLDS];
        double[] rocs = new double[window + 1];
        double[] prs = new double[window + 1];
        for (int length = 0; length <= window; length++) {
            int h = length / 2;
            Arrays.fill(bufferHistogram, 0.0);
            Arrays.fill(existenceHistogram, 0L);
            // Soft labels, added segment by segment (after, then before), as TSB-AD's sequencing does.
            for (int g = 0; g < numSegments && h > 0; g++) {
                int s = segments[2 * g];
                int e = segments[2 * g + 1] - 1;
                for (int t = e + 1; t < Math.min(e + h + 1, n); t++) {
                    if (labels[t] == 0) { // anomalous points keep label 1
                        soft[t] += Math.sqrt(1.0 - (double) (t - e) / length);
                    }
                }
                for (int t = Math.max(s - h, 0); t < s; t++) {
                    if (labels[t] == 0) {
                        soft[t] += Math.sqrt(1.0 - (double) (s - t) / length);
                    }
                }
            }
            // Regions: segments widened by h, merged when e_i + h >= s_{i+1} - h.
            int regions = 0;
            int g = 0;
            while (g < numSegments) {
                int first = g;
                while (g + 1 < numSegments && segments[2 * g + 1] - 1 + h >= segments[2 * (g + 1)] - h) {
                    g++;
                }
                int last = g;
                g++;
                int a = Math.max(segments[2 * first] - h, 0);
                int b = Math.min(segments[2 * last + 1] - 1 + h, n - 1);
                int minK = THRESHOLDS;
                for (int s = first; s <= last; s++) {
                    minK = Math.min(minK, segmentMinK[s]);
                }
                // The buffer (normal) points of the region: before the first segment, in the gaps, after the last.
                int t = a;
                for (int s = first; s <= last + 1; s++) {
                    int gapEnd = s <= last ? segments[2 * s] : b + 1;
                    for (; t < gapEnd; t++) {
                        int k = firstK[t];
                        minK = Math.min(minK, k);
                        bufferHistogram[k] += Math.min(1.0, soft[t]);
                        soft[t] = 0.0;
                    }
                    if (s <= last) {
                        t = segments[2 * s + 1];
                    }
                }
                existenceHistogram[minK]++;
                regions++;
            }
            double buffer = 0.0;
            long existing = 0;
            for (int k = 0; k < THRESHOLDS; k++) {
                buffer += bufferHistogram[k];
                existing += existenceHistogram[k];
                double tp = anomalousPredicted[k] + buffer;
                double pNew = (positives + (positives + buffer)) / 2;
                double recall = Math.min(tp / pNew, 1.0);
                tpr[k] = recall * ((double) existing / regions);
                fpr[k] = (predicted[k] - tp) / (n - pNew);
                precision[k] = tp / predicted[k];
            }
            double roc = 0.0;
            double pr = 0.0;
            double previousTpr = 0.0;
            double previousFpr = 0.0;
            for (int k = 0; k < THRESHOLDS; k++) {
                roc += (fpr[k] - previousFpr) * ((tpr[k] + previousTpr) / 2);
                pr += (tpr[k] - previousTpr) * precision[k];
                previousTpr = tpr[k];
                previousFpr = fpr[k];
            }
            roc += (1.0 - previousFpr) * ((1.0 + previousTpr) / 2);
            rocs[length] = roc;
            prs[length] = pr;
        }
        double rocSum = 0.0;
        double prSum = 0.0;
        for (int length = 0; length <= window; length++) {
            rocSum += rocs[length];
            prSum += prs[length];
        }
        return new Result(window, rocSum / (window + 1), prSum / (window + 1), rocs, prs);
    }
}
