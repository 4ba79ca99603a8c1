package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.RecurrentState;
import io.github.tribuokd.timeseries.SignatureMatrices;
import io.github.tribuokd.timeseries.SignatureMatrixStream;

/**
 * Scores a stream point by point with an {@link MSCREDModel} (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s deployment, Figure 4: new points feed the
 * Long-Term Accumulator and the signature matrices; the student scores the sum). State: the incremental signature
 * matrices and the ring of the last {@code steps} stacks ({@link SignatureMatrixStream}), the accumulator's
 * recurrent state and the last {@code steps} β matrices, and one input's scratch — bounded by the input, not by
 * the length of the stream. The scores equal the batch path's ({@link MSCREDModel#scoreSeries}, tested).
 * <p>
 * Not thread-safe: one stream per thread.
 */
public final class MSCREDStream {

    private final MSCREDModel model;
    private final SignatureMatrices signature;
    private final MSCREDNetwork network;
    private final LongTermAccumulator lta;
    private final int n;
    private final SignatureMatrixStream matrices;
    private final RecurrentState state;
    private final RecurrentLayer.Cache cache;
    private final float[] h;
    private final float[] block;
    private final float[] betaRing;
    private final float[] input;
    private final float[] residuals;
    private final MSCREDNetwork.Workspace ws;
    private final FeatureStandardizer standardizer;
    private final float[] point;
    private long nextMatrixTime;
    private int betaCount;
    private double lastScore = Double.NaN;

    MSCREDStream(MSCREDModel model, SignatureMatrices signature, MSCREDNetwork network, LongTermAccumulator lta,
                 RecurrentState start, int n, FeatureStandardizer standardizer) {
        this.model = model;
        this.signature = signature;
        this.network = network;
        this.lta = lta;
        this.n = n;
        this.matrices = new SignatureMatrixStream(signature, n);
        this.state = lta == null ? null : (start == null ? lta.newState() : start.copy());
        this.cache = lta == null ? null : lta.newCache(1);
        this.h = lta == null ? null : new float[lta.hidden()];
        this.block = lta == null ? null : new float[n * lta.summaryLength()];
        this.betaRing = lta == null ? null : new float[signature.steps() * n * n];
        this.input = new float[matrices.inputSize()];
        this.residuals = new float[n * n];
        this.ws = network.newWorkspace(1);
        this.standardizer = standardizer;
        this.point = new float[n];
        this.nextMatrixTime = signature.firstMatrixTime();
    }

    /**
     * Pushes the next point.
     * @param x The point, {@code n} finite values in the model's feature-id order.
     * @return True when this point completed an input and {@link #lastScore()} was updated.
     * @throws IllegalArgumentException If the point has the wrong length or a non-finite value (nothing changes).
     */
    public boolean push(float[] x) {
        if (x == null || x.length != n) {
            throw new IllegalArgumentException("A point needs " + n + " values, found "
                    + (x == null ? "null" : x.length));
        }
        float[] p = x;
        if (standardizer != null) {
            System.arraycopy(x, 0, point, 0, n);
            standardizer.applyInPlace(point, 1);
            p = point;
        }
        boolean ready = matrices.push(p); // validates first; the state is unchanged on error
        if (lta != null) {
            lta.forward(p, 1, state, h, cache);
            if (matrices.time() == nextMatrixTime) {
                int slot = betaCount % signature.steps();
                lta.summary(h, 0, block, 0, betaRing, slot * n * n);
                betaCount++;
            }
        }
        if (matrices.time() == nextMatrixTime) {
            nextMatrixTime += signature.gap();
        }
        if (!ready) {
            return false;
        }
        matrices.input(input, 0);
        if (lta != null) {
            int steps = signature.steps();
            int c = signature.numScales();
            int nn = n * n;
            for (int k = 0; k < steps; k++) {
                // input stack k (oldest first) is the (betaCount − steps + k)-th β
                int slot = (betaCount - steps + k) % steps;
                for (int s = 0; s < c; s++) {
                    int o = (k * c + s) * nn;
                    for (int j = 0; j < nn; j++) {
                        input[o + j] += betaRing[slot * nn + j];
                    }
                }
            }
        }
        network.residuals(input, 0, 1, ws, residuals);
        lastScore = model.streamScore(residuals, n, matrices.time());
        return true;
    }

    /**
     * The score of the latest complete input (NaN before the first).
     * @return The count of residual entries above τ.
     */
    public double lastScore() {
        return lastScore;
    }

    /**
     * The residual matrix of scale 1 of the latest complete input (eq. 4, {@code Υ = S¹ − Ŝ¹}, whose entries above τ
     * the score counts; MSCRED reads it to see which variables' correlations broke).
     * @return A copy, {@code [n, n]} row-major (zeros before the first input).
     */
    public float[] lastResiduals() {
        return residuals.clone();
    }

    /**
     * Whether the latest score is above the model's count threshold.
     * @return True when ANOMALOUS.
     */
    public boolean isAnomalous() {
        return lastScore > model.countThreshold();
    }

    /**
     * The time of the latest point (−1 before the first).
     * @return The time.
     */
    public long time() {
        return matrices.time();
    }

    /**
     * Bytes of state held, independent of the stream's length.
     * @return An estimate of the state size.
     */
    public long stateBytes() {
        long bytes = matrices.stateBytes() + 4L * (input.length + residuals.length + point.length);
        if (lta != null) {
            bytes += 4L * (betaRing.length + block.length + h.length + 2L * lta.hidden());
        }
        return bytes;
    }
}
