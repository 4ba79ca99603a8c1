package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.RecurrentState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Long-Term Accumulator (seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md), eqs. 5–7): β is a signature matrix, gradients match finite differences. */
public class LongTermAccumulatorTest {

    private static final int N = 3;
    private static final int H = 4;
    private static final int M = 2;
    private static final int STEPS = 5;
    private static final int[] PROBED = {1, 4};

    /** L = Σ_t∈PROBED Σ c_t ⊙ β_t over one chunk from a fixed initial state. */
    private static double loss(LongTermAccumulator lta, float[] points, float[][] c, RecurrentState initial) {
        RecurrentState state = lta.newState();
        state.copyFrom(initial);
        float[] h = new float[STEPS * H];
        lta.forward(points, STEPS, state, h, lta.newCache(STEPS));
        float[] block = new float[N * M];
        float[] beta = new float[N * N];
        double l = 0;
        for (int p = 0; p < PROBED.length; p++) {
            lta.summary(h, PROBED[p] * H, block, 0, beta, 0);
            for (int i = 0; i < N * N; i++) {
                l += (double) c[p][i] * beta[i];
            }
        }
        return l;
    }

    @ParameterizedTest
    @EnumSource(LongTermAccumulator.Cell.class)
    public void gradientsMatchFiniteDifferences(LongTermAccumulator.Cell cell) {
        SplittableRandom rng = new SplittableRandom(3);
        LongTermAccumulator lta = new LongTermAccumulator(cell, N, H, M);
        lta.initialise(rng);
        float[] p = lta.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (rng.nextDouble() * 0.6 - 0.3); // a head large enough to matter
        }
        float[] points = new float[STEPS * N];
        for (int i = 0; i < points.length; i++) {
            points[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[][] c = new float[PROBED.length][N * N];
        for (float[] row : c) {
            for (int i = 0; i < row.length; i++) {
                row[i] = (float) (rng.nextDouble() * 2 - 1);
            }
        }
        // A non-zero carried state: run a few points first.
        RecurrentState initial = lta.newState();
        float[] warm = new float[2 * N];
        for (int i = 0; i < warm.length; i++) {
            warm[i] = (float) rng.nextDouble();
        }
        lta.forward(warm, 2, initial, new float[2 * H], lta.newCache(2));

        // Analytic.
        RecurrentState state = lta.newState();
        state.copyFrom(initial);
        float[] h = new float[STEPS * H];
        RecurrentLayer.Cache cache = lta.newCache(STEPS);
        lta.forward(points, STEPS, state, h, cache);
        float[] dH = new float[STEPS * H];
        float[] grads = new float[p.length];
        float[] block = new float[N * M];
        float[] beta = new float[N * N];
        float[] scratch = new float[N * M];
        for (int q = 0; q < PROBED.length; q++) {
            lta.summary(h, PROBED[q] * H, block, 0, beta, 0);
            lta.summaryBackward(h, PROBED[q] * H, block, 0, c[q], 0, dH, PROBED[q] * H, grads, scratch);
        }
        lta.backward(dH, STEPS, cache, grads);

        float eps = 1e-2f;
        for (int i = 0; i < p.length; i++) {
            float old = p[i];
            p[i] = old + eps;
            double up = loss(lta, points, c, initial);
            p[i] = old - eps;
            double down = loss(lta, points, c, initial);
            p[i] = old;
            double numeric = (up - down) / (2 * eps);
            double tol = 3e-2 * Math.max(Math.abs(numeric), Math.abs(grads[i])) + 2e-3;
            assertTrue(Math.abs(numeric - grads[i]) <= tol, cell + " parameter " + i + ": finite difference "
                    + numeric + " vs backward " + grads[i]);
        }
    }

    @Test
    public void betaIsTheSignatureMatrixOfTheSummaryBlock() {
        LongTermAccumulator lta = new LongTermAccumulator(LongTermAccumulator.Cell.GRU, 2, 1, 3);
        float[] p = lta.parameters();
        java.util.Arrays.fill(p, 0f);
        // Head: W_h = 0, b_h = the block [[1, 2, 3], [0, 1, -1]] → β = B Bᵀ / 3.
        int nm = 6;
        int bias = p.length - nm;
        float[] b = {1, 2, 3, 0, 1, -1};
        System.arraycopy(b, 0, p, bias, nm);
        float[] block = new float[nm];
        float[] beta = new float[4];
        lta.summary(new float[1], 0, block, 0, beta, 0);
        assertEquals(14f / 3, beta[0], 1e-6);
        assertEquals(-1f / 3, beta[1], 1e-6);
        assertEquals(-1f / 3, beta[2], 1e-6);
        assertEquals(2f / 3, beta[3], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> LongTermAccumulator.Cell.parse("transformer"));
        assertEquals(LongTermAccumulator.Cell.LSTM, LongTermAccumulator.Cell.parse("lstm"));
    }
}
