package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;

/**
 * The scalar plain-Java {@link OneHiddenLayerKernel}: the operation order of {@link OneHiddenLayerScorer} written
 * out one hidden unit at a time, with {@link Math#fma} where the SIMD kernel fuses. It is the specification the
 * Vector API kernel is tested against (same bits for the same lanes). The output-sum tree is evaluated
 * recursively, so that no per-lane buffer is needed: {@code V_0[l] = p_l},
 * {@code V_t[l] = V_(t−1)[l] + V_(t−1)[l + lanes/2^t]}, the sum is {@code V_(log2 lanes)[0]}.
 */
final class PlainOneHiddenLayerKernel implements OneHiddenLayerKernel {

    private final int d;
    private final int lanes;
    private final int blocks;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float b2;
    private final Activation hidden;
    private final Activation output;

    PlainOneHiddenLayerKernel(OneHiddenLayerScorer s) {
        this.d = s.inputSize;
        this.lanes = s.lanes;
        this.blocks = s.blocks;
        this.w1 = s.w1;
        this.b1 = s.b1;
        this.w2 = s.w2;
        this.b2 = s.b2;
        this.hidden = s.hidden;
        this.output = s.output;
    }

    @Override
    public String name() {
        return "plain-java-" + lanes + "-lanes";
    }

    @Override
    public float scoreOne(float[] x, int offset) {
        return output.apply(tree(x, offset, 0, 1) + b2);
    }

    @Override
    public void scoreRows(float[] x, int offset, int n, double[] out, int outOffset) {
        for (int r = 0; r < n; r++) {
            out[outOffset + r] = scoreOne(x, offset + r * d);
        }
    }

    /** {@code V_t[lane]} where {@code step = lanes/2^t}: {@code V_(t−1)[lane] + V_(t−1)[lane + step]}. */
    private float tree(float[] x, int offset, int lane, int step) {
        if (step == lanes) {
            return laneProduct(x, offset, lane);
        }
        return tree(x, offset, lane, 2 * step) + tree(x, offset, lane + step, 2 * step);
    }

    /** {@code p_lane = Σ_blocks f(h)·w2}, fused multiply-adds from +0. */
    private float laneProduct(float[] x, int offset, int lane) {
        float p = 0f;
        for (int blk = 0; blk < blocks; blk++) {
            int w = blk * d * lanes + lane;
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                a0 = Math.fma(x[offset + j], w1[w + j * lanes], a0);
                a1 = Math.fma(x[offset + j + 1], w1[w + (j + 1) * lanes], a1);
                a2 = Math.fma(x[offset + j + 2], w1[w + (j + 2) * lanes], a2);
                a3 = Math.fma(x[offset + j + 3], w1[w + (j + 3) * lanes], a3);
            }
            for (; j < d; j++) { // the last d mod 4 inputs continue chain 0
                a0 = Math.fma(x[offset + j], w1[w + j * lanes], a0);
            }
            float h = hidden.apply(((a0 + a1) + (a2 + a3)) + b1[blk * lanes + lane]);
            p = Math.fma(h, w2[blk * lanes + lane], p);
        }
        return p;
    }
}
