package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API {@link OneHiddenLayerKernel}: one block of {@code L} hidden units is one register (L = 16 with
 * AVX-512, so the 38-16-1 student's whole hidden layer), computed as broadcast-FMAs
 * {@code a_c += x_j · W1[j, block]} into four partial sums per sample.
 * <p>
 * <b>One sample</b> ({@link #scoreOne}): four FMA chains of ⌊d/4⌋ steps, the hidden block, {@code p = f(h)·w2},
 * then the sum of p's lanes by halves: {@code p += p.rearrange(l ↦ l xor half)} for half = L/2, …, 1, which leaves
 * the pairwise tree of {@link OneHiddenLayerScorer} in lane 0. No allocation, no thread-local lookup.
 * <p>
 * <b>Batches</b> ({@link #scoreRows}), by groups of L samples, through a per-thread buffer:
 * <ol>
 * <li>{@link #quadBlock}: the pre-activations of one hidden block for four samples at a time, which share each
 *     loaded row of W1 (16 FMA chains in flight: 4 samples × 4 partial sums);</li>
 * <li>{@link #accumulate}: {@code p_s ← f(h_s)·w2 + p_s} for the group's L samples;</li>
 * <li>{@link #reduceGroup}: the lane sums of the L vectors p together. {@code combine(A, B, half)}
 *     ({@link #level}) adds each of A and B to its own {@code xor half} rearrangement (the next tree level, for
 *     every sample in the register at once) and keeps A's lanes where {@code (lane & half) = 0}, B's elsewhere;
 *     L − 1 combines leave the whole tree of one sample in each lane of one register: the same operations on the
 *     same values as {@link #scoreOne}, float addition being commutative. Each sample's p is placed in the
 *     register ({@link #SLOT}) that makes lane s hold sample s, so that the outputs are stored in order.</li>
 * </ol>
 * The three steps are separate methods, not one, because C2 stops inlining inside a method whose graph is too
 * large (NodeCountInliningCutoff), and a Vector API call that is not inlined allocates its result; for the same
 * reason no vector is passed to a method of ours where C2 might not inline it (see {@link #scoreOne}). Rows past
 * the last whole group go through {@link #scoreOne}.
 */
final class VectorOneHiddenLayerKernel implements OneHiddenLayerKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per register. */
    static final int L = S.length();
    /** Whether this kernel runs with the preferred species: 4, 8 or 16 lanes. */
    static final boolean SUPPORTED = L == 4 || L == 8 || L == 16;

    private static final VectorShuffle<Float> X1 = xor(1), X2 = xor(2), X4 = xor(4), X8 = xor(8);
    /** The levels of {@link #reduceGroup}: half = L/2, L/4, …, 1. */
    private static final int LEVELS = Integer.numberOfTrailingZeros(L);
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] LEVEL_XOR = new VectorShuffle[LEVELS];
    @SuppressWarnings("unchecked")
    private static final VectorMask<Float>[] LEVEL_UPPER = new VectorMask[LEVELS];

    static {
        for (int lv = 0; lv < LEVELS; lv++) {
            LEVEL_XOR[lv] = xor(L >> (lv + 1));
            LEVEL_UPPER[lv] = upper(L >> (lv + 1));
        }
    }

    /**
     * {@code SLOT[s]}: the register of a group's buffer that takes sample s's p, so that {@link #reduceGroup} leaves
     * sample s's sum in lane s ({@link #reduceGroup} run on register labels gives lane l the label SLOT[l]).
     */
    static final int[] SLOT = sampleOfLane();

    /** Per thread: the p vectors of one group of samples {@code [L][L]}, then their pre-activations {@code [L][L]}. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[2 * L * L]);

    private final int d;
    private final int blocks;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float b2;
    private final Activation output;
    /** The hidden activation: ReLU, identity, or tanh/sigmoid in the form {@code u + v·(c/(e^(a·x) + 1))}. */
    private final boolean relu;
    private final boolean expForm;
    private final float a;
    private final float c;
    private final float u;
    private final float v;

    VectorOneHiddenLayerKernel(OneHiddenLayerScorer s) {
        if (!SUPPORTED || s.lanes != L) {
            throw new IllegalArgumentException("Weights packed for " + s.lanes + " lanes; this kernel needs " + L
                    + " (supported: 4, 8, 16)");
        }
        this.d = s.inputSize;
        this.blocks = s.blocks;
        this.w1 = s.w1;
        this.b1 = s.b1;
        this.w2 = s.w2;
        this.b2 = s.b2;
        this.output = s.output;
        this.relu = s.hidden == Activation.RELU;
        this.expForm = s.hidden == Activation.TANH || s.hidden == Activation.SIGMOID;
        boolean tanh = s.hidden == Activation.TANH;
        // tanh x = 1 − 2/(e^(2x) + 1) and σ(x) = 1/(e^(−x) + 1), as FastMath computes them
        // (×2 and ×(−1) are exact)
        this.a = tanh ? 2f : -1f;
        this.c = tanh ? 2f : 1f;
        this.u = tanh ? 1f : 0f;
        this.v = tanh ? -1f : 1f;
    }

    @Override
    public String name() {
        return "vector-api-" + (L * 32) + "bit";
    }

    /** {@code l ↦ l xor h} (identity where h ≥ L: such a level is never run). */
    private static VectorShuffle<Float> xor(int h) {
        return VectorShuffle.fromOp(S, l -> h < L ? l ^ h : l);
    }

    /** Lanes with {@code (l & h) ≠ 0}: where a tree level ({@link #level}) keeps B. */
    private static VectorMask<Float> upper(int h) {
        boolean[] bits = new boolean[L];
        for (int l = 0; l < L; l++) {
            bits[l] = (l & h) != 0;
        }
        return VectorMask.fromArray(S, bits, 0);
    }

    /** Runs {@link #reduceGroup} on sample labels instead of sums. */
    private static int[] sampleOfLane() {
        if (!SUPPORTED) {
            return new int[0];
        }
        int[][] regs = new int[L][L];
        for (int s = 0; s < L; s++) {
            java.util.Arrays.fill(regs[s], s);
        }
        for (int h = L / 2, m = L; h >= 1; h /= 2, m /= 2) {
            for (int t = 0; t < m / 2; t++) {
                regs[t] = combineLabels(regs[2 * t], regs[2 * t + 1], h);
            }
        }
        return regs[0];
    }

    private static int[] combineLabels(int[] a, int[] b, int h) {
        int[] c = new int[L];
        for (int l = 0; l < L; l++) {
            c[l] = (l & h) == 0 ? a[l] : b[l];
        }
        return c;
    }

    /**
     * The hidden activation on every lane, with {@link Activation#apply}'s bits (but NaN under ReLU). Tanh and
     * sigmoid share one code path with one {@link VectorMatrixKernels#exp}, so that the methods this is inlined into
     * stay small enough for C2 to inline every vector operation even when both activations have been used (a
     * vector operation that is not inlined allocates). Used where it runs L times per call ({@link #accumulate}), so
     * that it is always hot enough to be inlined; {@link #scoreOne} has its own copy.
     */
    private FloatVector activate(FloatVector h) {
        if (expForm) {
            FloatVector e = VectorMatrixKernels.exp(h.mul(a));
            return FloatVector.broadcast(S, c).div(e.add(1f)).mul(v).add(u);
        }
        return relu ? h.max(0f) : h;
    }


    // x [d] -> h [blocks·L] -> y: four FMA chains per block, then the tree over lanes of p.
    @Override
    public float scoreOne(float[] x, int offset) {
        final float[] w1 = this.w1;
        final int d = this.d;
        FloatVector p = FloatVector.zero(S);
        for (int blk = 0; blk < blocks; blk++) {
            int w = blk * d * L;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
            final int dMain = d & ~3; // counted loops (j < limit), so that C2 hoists the range checks
            for (int j = 0; j < dMain; j += 4) {
                int wj = w + j * L;
                a0 = FloatVector.broadcast(S, x[offset + j]).fma(FloatVector.fromArray(S, w1, wj), a0);
                a1 = FloatVector.broadcast(S, x[offset + j + 1]).fma(FloatVector.fromArray(S, w1, wj + L), a1);
                a2 = FloatVector.broadcast(S, x[offset + j + 2]).fma(FloatVector.fromArray(S, w1, wj + 2 * L), a2);
                a3 = FloatVector.broadcast(S, x[offset + j + 3]).fma(FloatVector.fromArray(S, w1, wj + 3 * L), a3);
            }
            for (int j = dMain; j < d; j++) { // the last d mod 4 inputs continue chain 0
                a0 = FloatVector.broadcast(S, x[offset + j]).fma(FloatVector.fromArray(S, w1, w + j * L), a0);
            }
            FloatVector h = a0.add(a1).add(a2.add(a3)).add(FloatVector.fromArray(S, b1, blk * L));
            // activate(h), written out: when d is large C2 compiles this method after few calls, and then refuses to
            // inline a helper called fewer than MinInliningThreshold (250) times; a helper that is not inlined takes
            // its vector boxed, i.e. allocates. The JDK's vector methods are force-inlined; ours are not.
            if (expForm) {
                FloatVector z = h.mul(a).max(FastMath.MIN_X).min(FastMath.MAX_X); // FastMath.exp, lane by lane
                FloatVector t = z.mul(FastMath.LOG2E).add(FastMath.MAGIC);
                FloatVector negN = t.sub(FastMath.MAGIC).neg();
                FloatVector r = negN.fma(FloatVector.broadcast(S, FastMath.LN2_HI), z);
                r = negN.fma(FloatVector.broadcast(S, FastMath.LN2_LO), r);
                FloatVector one = FloatVector.broadcast(S, 1f);
                FloatVector q = FloatVector.broadcast(S, FastMath.C6).fma(r, FloatVector.broadcast(S, FastMath.C5));
                q = q.fma(r, FloatVector.broadcast(S, FastMath.C4));
                q = q.fma(r, FloatVector.broadcast(S, FastMath.C3));
                q = q.fma(r, FloatVector.broadcast(S, FastMath.C2));
                q = q.fma(r, one);
                q = q.fma(r, one);
                IntVector bits = t.reinterpretAsInts().sub(VectorMatrixKernels.MAGIC_BITS - 127)
                        .lanewise(VectorOperators.LSHL, 23);
                FloatVector e = q.mul(bits.reinterpretAsFloats());
                h = FloatVector.broadcast(S, c).div(e.add(1f)).mul(v).add(u);
            } else if (relu) {
                h = h.max(0f);
            }
            p = h.fma(FloatVector.fromArray(S, w2, blk * L), p);
        }
        if (L >= 16) {
            p = p.add(p.rearrange(X8));
        }
        if (L >= 8) {
            p = p.add(p.rearrange(X4));
        }
        p = p.add(p.rearrange(X2));
        p = p.add(p.rearrange(X1));
        return output.apply(p.lane(0) + b2);
    }

    @Override
    public void scoreRows(float[] x, int offset, int n, double[] out, int outOffset) {
        int groups = n / L;
        if (groups > 0) {
            float[] buf = SCRATCH.get();
            for (int g = 0; g < groups; g++) {
                scoreGroup(x, offset + g * L * d, buf, out, outOffset + g * L);
            }
        }
        for (int s = groups * L; s < n; s++) {
            out[outOffset + s] = scoreOne(x, offset + s * d);
        }
    }

    /**
     * The L samples of one group (rows from {@code r0}), into {@code out[o..o + L)}. A method of its own, called
     * once per group, so that C2 compiles it the same way whatever {@link #scoreRows} is inlined into or whether
     * {@link #scoreRows} was first compiled on stack replacement (measured: the 1-thread batch of the 38-16-1
     * student alternated between ~17 and ~31 ns/sample from one JVM to the next with the group loop inlined).
     */
    private void scoreGroup(float[] x, int r0, float[] buf, double[] out, int o) {
        for (int blk = 0; blk < blocks; blk++) {
            for (int q = 0; q < L; q += 4) {
                quadBlock(x, r0 + q * d, blk, buf, L * L + q * L);
            }
            accumulate(blk, buf);
        }
        reduceGroup(buf);
        for (int l = 0; l < L; l++) {
            out[o + l] = output.apply(buf[l]);
        }
    }

    /**
     * The tree levels of a group: {@code buf [L][L]} holds the p vectors of its L samples; afterwards
     * {@code buf[0..L)} holds {@code tree + b2} of the L samples in order.
     */
    private void reduceGroup(float[] buf) {
        // One call site of level(), not one per level: C2 inlines it once, which keeps the caller's graph small
        // enough for every vector operation to be inlined (a vector operation that is not inlined allocates).
        for (int lv = 0, m = L; lv < LEVELS; lv++, m /= 2) {
            level(buf, m, LEVEL_XOR[lv], LEVEL_UPPER[lv]);
        }
        FloatVector.fromArray(S, buf, 0).add(b2).intoArray(buf, 0);
    }

    /**
     * One tree level on {@code m} registers in {@code buf}: register t ← combine(2t, 2t + 1), where
     * {@code combine(A, B) = (A + A.rearrange(xor)).blend(B + B.rearrange(xor), upper)} (see the class comment).
     */
    private static void level(float[] buf, int m, VectorShuffle<Float> xor, VectorMask<Float> upper) {
        for (int t = 0; t < m / 2; t++) {
            FloatVector a = FloatVector.fromArray(S, buf, 2 * t * L);
            FloatVector b = FloatVector.fromArray(S, buf, (2 * t + 1) * L);
            a.add(a.rearrange(xor)).blend(b.add(b.rearrange(xor)), upper).intoArray(buf, t * L);
        }
    }

    /**
     * {@code p_s ← f(h_s)·w2 + p_s} (in register {@link #SLOT}[s]) for block {@code blk} of the L samples of a group
     * ({@code p_s = 0} before block 0).
     */
    private void accumulate(int blk, float[] buf) {
        FloatVector w2v = FloatVector.fromArray(S, w2, blk * L);
        for (int s = 0; s < L; s++) {
            int at = SLOT[s] * L;
            FloatVector p = blk == 0 ? FloatVector.zero(S) : FloatVector.fromArray(S, buf, at);
            FloatVector h = FloatVector.fromArray(S, buf, L * L + s * L);
            activate(h).fma(w2v, p).intoArray(buf, at);
        }
    }

    /**
     * Hidden block {@code blk} of four samples (rows r0, r0 + d, r0 + 2d, r0 + 3d) before the activation, into
     * {@code buf[at + s·L]}: each row of W1 is loaded once for the four; 16 FMA chains. (The activation and the
     * output product are a separate pass so that C2 inlines every vector operation of this one.)
     */
    private void quadBlock(float[] x, int r0, int blk, float[] buf, int at) {
        final float[] w1 = this.w1;
        final int d = this.d;
        final int r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
        final int w = blk * d * L;
        // a<sample><chain>
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        FloatVector a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        FloatVector a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        FloatVector a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        FloatVector a20 = FloatVector.zero(S), a21 = FloatVector.zero(S);
        FloatVector a22 = FloatVector.zero(S), a23 = FloatVector.zero(S);
        FloatVector a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        FloatVector a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
        final int dMain = d & ~3; // counted loops (j < limit), so that C2 hoists the range checks
        for (int j = 0; j < dMain; j += 4) {
            int wj = w + j * L;
            FloatVector wv = FloatVector.fromArray(S, w1, wj);
            a00 = FloatVector.broadcast(S, x[r0 + j]).fma(wv, a00);
            a10 = FloatVector.broadcast(S, x[r1 + j]).fma(wv, a10);
            a20 = FloatVector.broadcast(S, x[r2 + j]).fma(wv, a20);
            a30 = FloatVector.broadcast(S, x[r3 + j]).fma(wv, a30);
            wv = FloatVector.fromArray(S, w1, wj + L);
            a01 = FloatVector.broadcast(S, x[r0 + j + 1]).fma(wv, a01);
            a11 = FloatVector.broadcast(S, x[r1 + j + 1]).fma(wv, a11);
            a21 = FloatVector.broadcast(S, x[r2 + j + 1]).fma(wv, a21);
            a31 = FloatVector.broadcast(S, x[r3 + j + 1]).fma(wv, a31);
            wv = FloatVector.fromArray(S, w1, wj + 2 * L);
            a02 = FloatVector.broadcast(S, x[r0 + j + 2]).fma(wv, a02);
            a12 = FloatVector.broadcast(S, x[r1 + j + 2]).fma(wv, a12);
            a22 = FloatVector.broadcast(S, x[r2 + j + 2]).fma(wv, a22);
            a32 = FloatVector.broadcast(S, x[r3 + j + 2]).fma(wv, a32);
            wv = FloatVector.fromArray(S, w1, wj + 3 * L);
            a03 = FloatVector.broadcast(S, x[r0 + j + 3]).fma(wv, a03);
            a13 = FloatVector.broadcast(S, x[r1 + j + 3]).fma(wv, a13);
            a23 = FloatVector.broadcast(S, x[r2 + j + 3]).fma(wv, a23);
            a33 = FloatVector.broadcast(S, x[r3 + j + 3]).fma(wv, a33);
        }
        for (int j = dMain; j < d; j++) { // the last d mod 4 inputs continue chain 0
            FloatVector wv = FloatVector.fromArray(S, w1, w + j * L);
            a00 = FloatVector.broadcast(S, x[r0 + j]).fma(wv, a00);
            a10 = FloatVector.broadcast(S, x[r1 + j]).fma(wv, a10);
            a20 = FloatVector.broadcast(S, x[r2 + j]).fma(wv, a20);
            a30 = FloatVector.broadcast(S, x[r3 + j]).fma(wv, a30);
        }
        FloatVector bias = FloatVector.fromArray(S, b1, blk * L);
        a00.add(a01).add(a02.add(a03)).add(bias).intoArray(buf, at);
        a10.add(a11).add(a12.add(a13)).add(bias).intoArray(buf, at + L);
        a20.add(a21).add(a22.add(a23)).add(bias).intoArray(buf, at + 2 * L);
        a30.add(a31).add(a32.add(a33)).add(bias).intoArray(buf, at + 3 * L);
    }
}
