package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel of {@link AutoencoderScorer}. The feature axis is padded to a whole number of registers
 * ({@code dp = L·⌈d/L⌉}): the packed weights, biases, means and reciprocal scales are zero in the padding, and the
 * one partial register of the input is staged through the zero-padded scratch, so the padded lanes of {@code z}, of the reconstruction and
 * of the error are exactly 0 and no scalar tail loop is needed (a scalar tail of 12 of 380 features cost as much as
 * the other 368). The encoder keeps four hidden units' sums in four registers over one read of {@code z}; the decoder
 * reconstructs two registers of outputs per pass over the hidden units, so that two FMA chains are in flight and each
 * hidden value is broadcast once per pair.
 * <p>
 * The standardisation multiplies by the reciprocal scale (the scalar specification divides): the two agree to float
 * rounding.
 */
final class VectorAutoencoderKernel implements AutoencoderScorer.Kernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final int d;
    private final int dp;
    private final int h;
    private final Activation hidden;
    /** {@code [dp]}, zero padded. */
    private final float[] mean;
    private final float[] inverseScale;
    private final float[] b2;
    /** {@code [h][dp]}, zero padded. */
    private final float[] w1t;
    private final float[] w2;
    private final float[] b1;
    private final int fullRegisters;

    VectorAutoencoderKernel(AutoencoderScorer s) {
        this.d = s.d;
        this.h = s.h;
        this.dp = (d + L - 1) / L * L;
        this.hidden = s.hidden;
        this.mean = new float[dp];
        this.inverseScale = new float[dp];
        this.b2 = new float[dp];
        for (int j = 0; j < d; j++) {
            mean[j] = s.mean[j];
            inverseScale[j] = 1f / s.scale[j];
            b2[j] = s.b2[j];
        }
        this.w1t = new float[h * dp];
        this.w2 = new float[h * dp];
        for (int o = 0; o < h; o++) {
            System.arraycopy(s.w1t, o * d, w1t, o * dp, d);
            System.arraycopy(s.w2, o * d, w2, o * dp, d);
        }
        this.b1 = s.b1.clone();
        this.fullRegisters = d / L;
    }

    @Override
    public String name() {
        return "vector";
    }

    /** {@inheritDoc} The scratch must start zeroed in its padding (as a new array is) and hold {@link #scratchSize()} floats. */
    @Override
    public double score(float[] x, int offset, float[] scratch) {
        // z [dp] = (x − μ) · (1/σ), zero in the padding
        int j = 0;
        for (int k = 0; k < fullRegisters; k++, j += L) {
            FloatVector.fromArray(S, x, offset + j).sub(FloatVector.fromArray(S, mean, j))
                    .mul(FloatVector.fromArray(S, inverseScale, j)).intoArray(scratch, j);
        }
        if (j < dp) {
            // The partial register: staged through the scratch (a masked load is not intrinsified on JDK 17 and
            // costs more than the rest of the sample); the padding lanes hold 0 and 0 · (1/σ padding = 0) stays 0.
            System.arraycopy(x, offset + j, scratch, j, d - j);
            FloatVector.fromArray(S, scratch, j).sub(FloatVector.fromArray(S, mean, j))
                    .mul(FloatVector.fromArray(S, inverseScale, j)).intoArray(scratch, j);
        }
        encode(scratch);
        return decodeError(scratch) / d;
    }

    /** The scratch floats this kernel needs. */
    @Override
    public int scratchSize() {
        return dp + h;
    }

    /** h [h] = f(b1 + z · W1), written after z in the scratch. */
    private void encode(float[] scratch) {
        int o = 0;
        for (; o + 4 <= h; o += 4) {
            int r0 = o * dp, r1 = r0 + dp, r2 = r1 + dp, r3 = r2 + dp;
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int k = 0; k < dp; k += L) {
                FloatVector z = FloatVector.fromArray(S, scratch, k);
                a0 = z.fma(FloatVector.fromArray(S, w1t, r0 + k), a0);
                a1 = z.fma(FloatVector.fromArray(S, w1t, r1 + k), a1);
                a2 = z.fma(FloatVector.fromArray(S, w1t, r2 + k), a2);
                a3 = z.fma(FloatVector.fromArray(S, w1t, r3 + k), a3);
            }
            scratch[dp + o] = hidden.apply(a0.reduceLanes(VectorOperators.ADD) + b1[o]);
            scratch[dp + o + 1] = hidden.apply(a1.reduceLanes(VectorOperators.ADD) + b1[o + 1]);
            scratch[dp + o + 2] = hidden.apply(a2.reduceLanes(VectorOperators.ADD) + b1[o + 2]);
            scratch[dp + o + 3] = hidden.apply(a3.reduceLanes(VectorOperators.ADD) + b1[o + 3]);
        }
        for (; o < h; o++) {
            int r0 = o * dp;
            FloatVector a0 = FloatVector.zero(S);
            for (int k = 0; k < dp; k += L) {
                a0 = FloatVector.fromArray(S, scratch, k).fma(FloatVector.fromArray(S, w1t, r0 + k), a0);
            }
            scratch[dp + o] = hidden.apply(a0.reduceLanes(VectorOperators.ADD) + b1[o]);
        }
    }

    /** Σ_j (z_j − (b2_j + Σ_o h_o · W2[o, j]))², two registers of outputs per pass over the hidden units. */
    private double decodeError(float[] scratch) {
        FloatVector err0 = FloatVector.zero(S), err1 = err0;
        int j = 0;
        for (; j + 2 * L <= dp; j += 2 * L) {
            FloatVector r0 = FloatVector.fromArray(S, b2, j);
            FloatVector r1 = FloatVector.fromArray(S, b2, j + L);
            for (int u = 0, row = j; u < h; u++, row += dp) {
                FloatVector hu = FloatVector.broadcast(S, scratch[dp + u]);
                r0 = FloatVector.fromArray(S, w2, row).fma(hu, r0);
                r1 = FloatVector.fromArray(S, w2, row + L).fma(hu, r1);
            }
            FloatVector e0 = FloatVector.fromArray(S, scratch, j).sub(r0);
            FloatVector e1 = FloatVector.fromArray(S, scratch, j + L).sub(r1);
            err0 = e0.fma(e0, err0);
            err1 = e1.fma(e1, err1);
        }
        if (j < dp) {
            FloatVector r0 = FloatVector.fromArray(S, b2, j);
            for (int u = 0, row = j; u < h; u++, row += dp) {
                r0 = FloatVector.fromArray(S, w2, row).fma(FloatVector.broadcast(S, scratch[dp + u]), r0);
            }
            FloatVector e0 = FloatVector.fromArray(S, scratch, j).sub(r0);
            err0 = e0.fma(e0, err0);
        }
        return err0.add(err1).reduceLanes(VectorOperators.ADD);
    }
}
