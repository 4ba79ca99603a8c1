package io.github.tribuokd.evaluation;

/**
 * Affiliation precision, recall and F (Huet, Navarro and Rossi, "Local Evaluation of Time Series Anomaly Detection
 * Algorithms", KDD 2022), as TSB-AD computes its "Affiliation-F" ({@code metric_Affiliation} and the
 * {@code affiliation} package, Liu &amp; Paparrizos, NeurIPS 2024 Datasets and Benchmarks; {@code TheDatumOrg/TSB-AD}
 * commit 8763009, itself the authors' reference code).
 * <p>
 * <b>Definition.</b> Events are half-open intervals: a run of 1s over points {@code s..e} is {@code [s, e + 1)},
 * on the time range {@code [0, n)}. Each ground-truth event {@code J_j} owns an <i>affiliation zone</i>
 * {@code E_j}: the points closer to {@code J_j} than to any other ground-truth event (boundaries at the midpoints
 * between consecutive events, and {@code 0}, {@code n} at the ends; KDD 2022, Sec. 3.2). Inside {@code E_j}, with
 * {@code I_j} the predicted events cut to the zone and {@code dist(x, A)} the distance of a point to a set:
 * <pre>
 *     P_j = (1 / |I_j|) ∫_{x ∈ I_j} F̄_j(dist(x, J_j)) dx,     F̄_j(d) = P_{X ~ U(E_j)}(dist(X, J_j) ≥ d)
 *     R_j = (1 / |J_j|) ∫_{y ∈ J_j} F̄_y(dist(y, I_j)) dy,     F̄_y(d) = P_{X ~ U(E_j)}(|X − y| ≥ d)
 * </pre>
 * (KDD 2022, Sec. 3.3&ndash;3.4, eqs. of the individual precision and recall probabilities, integrated in closed
 * form piece by piece as the reference does). {@code P_j} is undefined when no prediction falls in {@code E_j};
 * {@code R_j = 0} then. {@code Precision = mean of the defined P_j}, {@code Recall = mean of all R_j}, and
 * {@code F = 2 · Precision · Recall / (Precision + Recall + 1e-15)} (TSB-AD's {@code eps}).
 * <p>
 * <b>TSB-AD's conventions</b>, kept for comparability: the {@code 1e-15}; when nothing at all is predicted the
 * precision, and so F, is NaN (undefined), which the oracle search ({@link #bestOverThresholds}, TSB-AD's 100
 * thresholds, {@link BestOverThresholds}) skips as Python's {@code max} does. Cost {@code O(n)} at a threshold
 * (every event is visited a constant number of times per zone it touches), {@code O(100 · n)} for the oracle.
 */
public final class AffiliationMetrics {

    /** The metric name. */
    public static final String NAME = "affiliation F";

    private AffiliationMetrics() {}

    /**
     * Affiliation precision, recall and F; immutable.
     */
    public static final class Result {
        private final double precision;
        private final double recall;
        private final double f;

        private Result(double precision, double recall) {
            this.precision = precision;
            this.recall = recall;
            this.f = 2 * precision * recall / (precision + recall + TsbAdConventions.EPS);
        }

        /** @return Affiliation precision, NaN when nothing is predicted. */
        public double precision() {
            return precision;
        }

        /** @return Affiliation recall. */
        public double recall() {
            return recall;
        }

        /** @return Affiliation F, NaN when nothing is predicted. */
        public double f() {
            return f;
        }

        @Override
        public String toString() {
            return "AffiliationMetrics.Result(precision=" + precision + ", recall=" + recall + ", f=" + f + ")";
        }
    }

    /**
     * Affiliation metrics of the predictions {@code score > threshold}.
     * @param scores    The anomaly scores in time order, finite.
     * @param labels    The 0/1 labels in time order, with at least one anomalous point.
     * @param threshold The threshold (not NaN).
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid or there is no anomalous point.
     */
    public static Result at(double[] scores, int[] labels, double threshold) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        TsbAdConventions.checkThreshold(threshold);
        TsbAdConventions.requirePositive(labels, NAME);
        return fromEvents(Predictions.of(scores, threshold).runs, Segments.flat(labels), labels.length);
    }

    /**
     * Affiliation metrics of 0/1 predictions.
     * @param predictions The 0/1 predictions in time order.
     * @param labels      The 0/1 labels in time order, same length, with at least one anomalous point.
     * @return The result.
     * @throws IllegalArgumentException If the input is invalid or there is no anomalous point.
     */
    public static Result of(int[] predictions, int[] labels) {
        RangeBasedF1.checkPredictions(predictions, labels);
        TsbAdConventions.requirePositive(labels, NAME);
        return fromEvents(Segments.flat(predictions), Segments.flat(labels), labels.length);
    }

    /**
     * The oracle best affiliation F over TSB-AD's 100 thresholds.
     * @param scores The anomaly scores in time order, finite.
     * @param labels The 0/1 labels in time order, with at least one anomalous point.
     * @return The best F and its threshold, labelled oracle.
     * @throws IllegalArgumentException If the input is invalid or there is no anomalous point.
     */
    public static BestOverThresholds bestOverThresholds(double[] scores, int[] labels) {
        MetricInputs.checkScoresAndLabels(scores, labels);
        TsbAdConventions.requirePositive(labels, NAME);
        int[] truth = Segments.flat(labels);
        double[] thresholds = TsbAdConventions.oracleThresholds(scores);
        double[] values = new double[thresholds.length];
        Predictions.Builder builder = new Predictions.Builder(scores, thresholds);
        for (int k = 0; k < thresholds.length; k++) {
            values[k] = fromEvents(builder.build(k).runs, truth, labels.length).f();
        }
        return TsbAdConventions.pythonMax(NAME, thresholds, values);
    }

    /**
     * Affiliation precision and recall of predicted events against ground-truth events on {@code [0, n)}.
     * @param pred  Predicted events, flat {@code {start, endExclusive, ...}}, sorted and disjoint.
     * @param truth Ground-truth events, same layout, at least one.
     * @param n     The length of the series.
     */
    static Result fromEvents(int[] pred, int[] truth, int n) {
        int numTruth = truth.length / 2;
        int numPred = pred.length / 2;
        double[] pieceStart = new double[numPred];
        double[] pieceEnd = new double[numPred];
        double precisionSum = 0.0;
        int precisionCount = 0;
        double recallSum = 0.0;
        int q0 = 0;
        for (int j = 0; j < numTruth; j++) {
            double jA = truth[2 * j];
            double jB = truth[2 * j + 1];
            // The affiliation zone: midpoints between events; the generalised starts/stops of the reference give
            // exactly 0 and n at the ends.
            double eA = j == 0 ? (-truth[0] + truth[0]) / 2.0 : (truth[2 * j - 1] + truth[2 * j]) / 2.0;
            double eB = j == numTruth - 1 ? (truth[2 * j + 1] + (2.0 * n - truth[2 * j + 1])) / 2.0
                    : (truth[2 * j + 1] + truth[2 * j + 2]) / 2.0;
            while (q0 < numPred && pred[2 * q0 + 1] <= eA) {
                q0++;
            }
            int pieces = 0;
            for (int q = q0; q < numPred && pred[2 * q] < eB; q++) {
                double a = Math.max(pred[2 * q], eA);
                double b = Math.min(pred[2 * q + 1], eB);
                if (a < b) {
                    pieceStart[pieces] = a;
                    pieceEnd[pieces] = b;
                    pieces++;
                }
            }
            if (pieces == 0) {
                continue; // precision undefined (skipped), recall 0
            }
            double integral = 0.0;
            double length = 0.0;
            for (int p = 0; p < pieces; p++) {
                integral += precisionIntegral(pieceStart[p], pieceEnd[p], jA, jB, eA, eB);
                length += pieceEnd[p] - pieceStart[p];
            }
            precisionSum += integral / length;
            precisionCount++;
            // Recall: J cut into the zones of the pieces (midpoints between pieces, eA and eB at the ends).
            double recall = 0.0;
            for (int p = 0; p < pieces; p++) {
                double zA = p == 0 ? (2 * eA - pieceStart[0] + pieceStart[0]) / 2
                        : (pieceEnd[p - 1] + pieceStart[p]) / 2;
                double zB = p == pieces - 1 ? (pieceEnd[p] + (2 * eB - pieceEnd[p])) / 2
                        : (pieceEnd[p] + pieceStart[p + 1]) / 2;
                double a = Math.max(jA, zA);
                double b = Math.min(jB, zB);
                if (a < b) {
                    recall += recallIntegral(pieceStart[p], pieceEnd[p], a, b, eA, eB);
                }
            }
            recallSum += recall / (jB - jA);
        }
        double precision = precisionCount == 0 ? Double.NaN : precisionSum / precisionCount;
        return new Result(precision, recallSum / numTruth);
    }

    /**
     * {@code ∫_{x ∈ I} F̄(dist(x, J)) dx} for one predicted piece {@code I} in the zone {@code E} of {@code J}: the
     * part inside {@code J} counts its length, the parts before and after {@link #outsidePrecision}.
     */
    static double precisionIntegral(double iA, double iB, double jA, double jB, double eA, double eB) {
        double left = iA < jA ? outsidePrecision(iA, Math.min(iB, jA), jA, jB, eA, eB) : 0.0;
        double lo = Math.max(iA, jA);
        double hi = Math.min(iB, jB);
        double middle = lo < hi ? hi - lo : 0.0;
        double right = iB > jB ? outsidePrecision(Math.max(iA, jB), iB, jA, jB, eA, eB) : 0.0;
        return left + middle + right;
    }

    /** The precision integral of a piece {@code I} lying outside {@code J} (closed form of the reference). */
    private static double outsidePrecision(double iA, double iB, double jA, double jB, double eA, double eB) {
        double dMin = Math.max(iA - jB, jA - iB);
        double dMax = Math.max(iB - jB, jA - iA);
        double m = Math.min(jA - eA, eB - jB);
        double minMax = Math.min(dMax, m);
        double minMin = Math.min(dMin, m);
        double a = minMax * minMax - minMin * minMin;
        double b = Math.max(dMax, m) - Math.max(dMin, m);
        double minPiece = 0.5 * a + m * b;
        double linearPiece = 0.5 * (dMax * dMax - dMin * dMin);
        double remainingPiece = (jB - jA) * (iB - iA);
        return (iB - iA) - (1 / (eB - eA)) * (minPiece + linearPiece + remainingPiece);
    }

    /**
     * {@code ∫_{y ∈ J} F̄_y(dist(y, I)) dy} for the part {@code J = [jA, jB)} of a ground-truth event affiliated to
     * the predicted piece {@code I}, in the zone {@code E}.
     */
    static double recallIntegral(double iA, double iB, double jA, double jB, double eA, double eB) {
        double left = jA < iA ? outsideRecall(iA, iB, jA, Math.min(jB, iA), eA, eB) : 0.0;
        double lo = Math.max(iA, jA);
        double hi = Math.min(iB, jB);
        double middle = lo < hi ? hi - lo : 0.0;
        double right = jB > iB ? outsideRecall(iA, iB, Math.max(jA, iB), jB, eA, eB) : 0.0;
        return left + middle + right;
    }

    /**
     * The recall integral of a piece {@code J} of ground truth lying outside {@code I}: with the pivot {@code i}
     * (the end of {@code I} closest to {@code J}) and {@code m(y) = min(y − e_min, e_max − y)},
     * {@code |J| − (1/|E|) ∫_J (min(d, m) + d) dy}, split at the midpoints where {@code min} changes branch; 0 when
     * the pivot is outside {@code E}.
     */
    private static double outsideRecall(double iA, double iB, double jA, double jB, double eA, double eB) {
        double pivot = jB <= iA ? iA : iB;
        if (pivot <= eA || pivot >= eB) {
            return 0.0;
        }
        double eMean = (eA + eB) / 2;
        // J before / after the zone's middle.
        double[] before = cutBefore(jA, jB, eMean);
        double[] after = cutAfter(jA, jB, eMean);
        double ieMinMean = (eA + pivot) / 2;
        double ieMaxMean = (eB + pivot) / 2;
        double[] beforeCloseE = before == null ? null : cutBefore(before[0], before[1], ieMinMean);
        double[] beforeCloseI = before == null ? null : cutAfter(before[0], before[1], ieMinMean);
        double[] afterCloseI = after == null ? null : cutBefore(after[0], after[1], ieMaxMean);
        double[] afterCloseE = after == null ? null : cutAfter(after[0], after[1], ieMaxMean);
        double sum = 0.0;
        if (pivot >= jB) {
            if (beforeCloseE != null) {
                sum += (pivot - eA) * (beforeCloseE[1] - beforeCloseE[0]);
            }
            if (beforeCloseI != null) {
                sum += 2 * pivot * (beforeCloseI[1] - beforeCloseI[0]) - squares(beforeCloseI);
            }
            if (afterCloseI != null) {
                sum += 2 * pivot * (afterCloseI[1] - afterCloseI[0]) - squares(afterCloseI);
            }
            if (afterCloseE != null) {
                sum += (eB + pivot) * (afterCloseE[1] - afterCloseE[0]) - squares(afterCloseE);
            }
        } else {
            if (beforeCloseE != null) {
                sum += squares(beforeCloseE) - (eA + pivot) * (beforeCloseE[1] - beforeCloseE[0]);
            }
            if (beforeCloseI != null) {
                sum += squares(beforeCloseI) - 2 * pivot * (beforeCloseI[1] - beforeCloseI[0]);
            }
            if (afterCloseI != null) {
                sum += squares(afterCloseI) - 2 * pivot * (afterCloseI[1] - afterCloseI[0]);
            }
            if (afterCloseE != null) {
                sum += (eB - pivot) * (afterCloseE[1] - afterCloseE[0]);
            }
        }
        return (jB - jA) - (1 / (eB - eA)) * sum;
    }

    /** {@code b² − a²} of an interval {@code {a, b}}. */
    private static double squares(double[] interval) {
        return interval[1] * interval[1] - interval[0] * interval[0];
    }

    /** The part of {@code [a, b]} before {@code cut} (the reference's {@code cut_J_based_on_mean_func}), or null. */
    private static double[] cutBefore(double a, double b, double cut) {
        if (cut >= b) {
            return new double[]{a, b};
        } else if (cut <= a) {
            return null;
        }
        return new double[]{a, cut};
    }

    /** The part of {@code [a, b]} after {@code cut}, or null. */
    private static double[] cutAfter(double a, double b, double cut) {
        if (cut >= b) {
            return null;
        } else if (cut <= a) {
            return new double[]{a, b};
        }
        return new double[]{cut, b};
    }
}
