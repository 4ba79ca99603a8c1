package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.FeedForwardNetwork;

/**
 * Inference for a network with exactly one hidden layer, {@code y = g(b2 + Σ_o f(b1_o + Σ_j x_j·W1[j,o])·W2[o,0])}
 * ({@code d → h → k}, output 0 only): the scoring path of the MLP student of Pol et al. (seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)), 38-16-1 with
 * ReLU, where one sample costs ~700 multiply-adds and the generic layer-by-layer forward pass is dominated by
 * its overheads (bias loop, activation pass, one FMA dependency chain per output, the horizontal sum).
 * <p>
 * The weights are packed once, at construction, in blocks of {@code lanes} hidden units (zero-padded):
 * {@code w1 [blocks][d][lanes]}, {@code b1 [blocks][lanes]}, {@code w2 [blocks][lanes]} (column 0 of W2). Every
 * sample is then computed with one fixed order of float32 operations, whichever route, thread or position in a
 * batch computes it:
 * <pre>
 *   per hidden unit o:  a_c = Σ_{j ≡ c (mod 4), j &lt; 4⌊d/4⌋} x_j·W1[j,o], c = 0..3,
 *                       then a_0 += the last d mod 4 terms   (fused multiply-adds from +0, j ascending)
 *                       h_o = f(((a_0 + a_1) + (a_2 + a_3)) + b1_o)
 *   per lane l:         p_l = Σ_blocks h_(block·lanes+l) · w2_(block·lanes+l)   (fused multiply-adds from +0)
 *   y = g(tree(p) + b2),
 *   tree: for half = lanes/2, lanes/4, …, 1:  p_l ← p_l + p_(l+half)  (l &lt; half); then p_0
 * </pre>
 * Four partial sums per hidden unit keep the dependency chains short enough for one sample per call; the pairwise
 * tree is the one a SIMD register reduces by halves. Hence a sample scores the same bits alone ({@link #scoreOne})
 * as in a batch ({@link #score}) and on 1 or 2 threads; the plain-Java and Vector API kernels give the same bits
 * when they use the same {@code lanes} (tested). Against the generic {@link FeedForwardNetwork#infer} path the
 * results agree to float rounding (a different summation order).
 * <p>
 * Kernels: {@code VectorOneHiddenLayerKernel} (JDK Vector API; one hidden block is one register, four samples
 * interleaved so that 16 FMA chains are in flight, the output sums of a group of {@code lanes} samples reduced
 * together by shuffles), chosen by {@link #of} when {@link Kernels#get()} is the Vector API; and
 * {@code PlainOneHiddenLayerKernel} (scalar Java, the executable specification of the order above).
 * Without the Vector API {@link #of} returns null and the generic forward pass on the blocked plain-Java kernels
 * stays the fallback: the scalar kernel is hardly faster there (38-16-1: ~460 ns against ~490–530 ns per sample,
 * alone or in batches), and it is kept as a specification. {@link #of} also returns null for the shapes where the
 * generic pass is faster on batches: several registers of hidden units and an input wider than
 * {@value #MAX_INPUTS_FOR_WIDE_HIDDEN} ({@link #beneficial}).
 * <p>
 * Immutable and thread-safe; scoring allocates nothing per sample (a large batch split across threads allocates
 * two small objects per batch).
 */
public final class OneHiddenLayerScorer {

    /**
     * The widest input for which a hidden layer of several registers is scored here rather than by the generic
     * forward pass. Measured on the project's AVX-512 machine (16 lanes, batches of 10,000, one thread): one
     * register of hidden units is faster here at every input width tried (4 to 1,900: 2× at 38-16-1, 1.1× at
     * 1900-16-1); with several, 38-32 to 38-512, 64-32 and 72-48 are faster here (1.1–1.5×), 64-64 is even, and
     * 100-32, 100-128, 200-256 and 500-64 are 1.1–1.5× slower: the generic kernel's 4×32 register tile loads less
     * per multiply-add than four samples × one register. (One sample per call is faster here at every shape; a model
     * keeps one route so that a sample scores the same bits alone and in a batch.)
     */
    public static final int MAX_INPUTS_FOR_WIDE_HIDDEN = 64;

    /** Batches smaller than this are scored on the calling thread whatever the requested thread count. */
    public static final int PARALLEL_MIN_ROWS = 4096;

    /**
     * The rows a thread claims at a time in a split batch (a multiple of every SIMD group; ~4 µs of work for the
     * 38-16-1 student, so that a helper that joins late delays the caller by at most that).
     */
    static final int PARALLEL_CHUNK_ROWS = 256;

    /**
     * The thread count {@link #score(float[], int, int, double[], int)} uses: the available processors (the caller
     * is one of them).
     */
    public static final int DEFAULT_THREADS = RowSplitter.maxThreads();

    final int inputSize;
    final int hiddenSize;
    final int lanes;
    final int blocks;
    /** {@code [blocks][inputSize][lanes]}: {@code W1[j, block·lanes + l]}, zero past the hidden size. */
    final float[] w1;
    /** {@code [blocks][lanes]}. */
    final float[] b1;
    /** {@code [blocks][lanes]}: {@code W2[block·lanes + l, 0]}. */
    final float[] w2;
    final float b2;
    final Activation hidden;
    final Activation output;
    private final OneHiddenLayerKernel kernel;

    private OneHiddenLayerScorer(FeedForwardNetwork net, int lanes, boolean vector) {
        if (!applies(net)) {
            throw new IllegalArgumentException("Not a one-hidden-layer network: sizes "
                    + java.util.Arrays.toString(net.sizes()));
        }
        if (lanes < 1 || Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("lanes must be a power of two, found " + lanes);
        }
        int[] sizes = net.sizes();
        this.inputSize = sizes[0];
        this.hiddenSize = sizes[1];
        int k = sizes[2];
        this.lanes = lanes;
        this.blocks = (hiddenSize + lanes - 1) / lanes;
        this.hidden = net.hiddenActivation();
        this.output = net.outputActivation();
        DenseLayer first = (DenseLayer) net.layers().get(0);
        DenseLayer last = (DenseLayer) net.layers().get(2);
        float[] p = net.parameters();
        int d = inputSize;
        int h = hiddenSize;
        w1 = new float[blocks * d * lanes];
        b1 = new float[blocks * lanes];
        w2 = new float[blocks * lanes];
        for (int o = 0; o < h; o++) {
            int blk = o / lanes, l = o % lanes;
            for (int j = 0; j < d; j++) {
                w1[(blk * d + j) * lanes + l] = p[first.weightOffset() + j * h + o];
            }
            b1[blk * lanes + l] = p[first.biasOffset() + o];
            w2[blk * lanes + l] = p[last.weightOffset() + o * k];
        }
        b2 = p[last.biasOffset()];
        kernel = vector ? VectorHolder.create(this) : new PlainOneHiddenLayerKernel(this);
    }

    /**
     * Whether a network has the shape this class scores: one hidden layer ({@code sizes = [d, h, k]}).
     * @param net The network.
     * @return True when it does.
     */
    public static boolean applies(FeedForwardNetwork net) {
        return net.sizes().length == 3;
    }

    /**
     * The fast scorer for a network, or null where the generic forward pass should be used: a network that is not
     * one-hidden-layer, a JVM without the Vector API kernels (see the class comment), or a shape where this is not
     * faster ({@link #beneficial}).
     * @param net The network (its parameters are copied; later changes to it are not seen).
     * @return The scorer, or null.
     */
    public static OneHiddenLayerScorer of(FeedForwardNetwork net) {
        if (!applies(net) || Kernels.get() == Kernels.plainJava() || !VectorHolder.supported()
                || !beneficial(net.inputSize(), net.sizes()[1], VectorHolder.lanes())) {
            return null;
        }
        return new OneHiddenLayerScorer(net, VectorHolder.lanes(), true);
    }

    /**
     * Whether the Vector API kernel beats the generic forward pass on batches of a {@code d → h → 1} network:
     * when the hidden layer is one register wide, or the input at most {@value #MAX_INPUTS_FOR_WIDE_HIDDEN} wide.
     * @param d The input width.
     * @param h The hidden width.
     * @param lanes Floats per register.
     * @return True when {@link #of} should use this class.
     */
    public static boolean beneficial(int d, int h, int lanes) {
        return h <= lanes || d <= MAX_INPUTS_FOR_WIDE_HIDDEN;
    }

    /**
     * The Vector API scorer, whatever the engine's kernel choice.
     * @param net A one-hidden-layer network.
     * @return The scorer.
     * @throws IllegalStateException If the Vector API is absent or its preferred species has fewer than 4 lanes.
     */
    public static OneHiddenLayerScorer vectorApi(FeedForwardNetwork net) {
        if (!Kernels.vectorApiAvailable() || !VectorHolder.supported()) {
            throw new IllegalStateException("The Vector API one-hidden-layer kernel needs jdk.incubator.vector with "
                    + "a preferred species of 4 to 16 float lanes");
        }
        return new OneHiddenLayerScorer(net, VectorHolder.lanes(), true);
    }

    /**
     * The scalar plain-Java scorer, with the same operation order as the Vector API one for the same
     * {@code lanes} (the reference it is tested against).
     * @param net A one-hidden-layer network.
     * @param lanes The width of the output-sum tree (a power of two; the Vector API kernel uses its species
     *              length, 16 with AVX-512).
     * @return The scorer.
     */
    public static OneHiddenLayerScorer plainJava(FeedForwardNetwork net, int lanes) {
        return new OneHiddenLayerScorer(net, lanes, false);
    }

    /**
     * The lane count of the Vector API kernel in this JVM (its preferred float species), or 0 when it cannot run.
     * @return The lanes.
     */
    public static int vectorLanes() {
        return Kernels.vectorApiAvailable() && VectorHolder.supported() ? VectorHolder.lanes() : 0;
    }

    /**
     * Output 0 for one sample, allocating nothing.
     * @param x The buffer holding the sample.
     * @param offset Where its {@code inputSize} features start.
     * @return The prediction.
     */
    public float scoreOne(float[] x, int offset) {
        return kernel.scoreOne(x, offset);
    }

    /**
     * Output 0 for {@code n} consecutive samples of a row-major matrix, on up to {@link #DEFAULT_THREADS} threads
     * (on the calling thread alone below {@value #PARALLEL_MIN_ROWS} rows).
     * @param x The matrix {@code [.., inputSize]}.
     * @param offset The first element of the first row.
     * @param n The number of rows.
     * @param out Receives {@code n} predictions.
     * @param outOffset Where the first prediction goes.
     */
    public void score(float[] x, int offset, int n, double[] out, int outOffset) {
        score(x, offset, n, out, outOffset, DEFAULT_THREADS);
    }

    /**
     * Output 0 for {@code n} consecutive samples, split into chunks of {@value #PARALLEL_CHUNK_ROWS} rows shared
     * between the caller and up to {@code threads − 1} idle helper threads ({@code RowSplitter}: they spin briefly
     * between batches instead of parking at once) when {@code n ≥ }{@value #PARALLEL_MIN_ROWS}. Every prediction
     * is bit-identical whatever the thread count and whichever thread scores it.
     * @param x The matrix {@code [.., inputSize]}.
     * @param offset The first element of the first row.
     * @param n The number of rows.
     * @param out Receives {@code n} predictions.
     * @param outOffset Where the first prediction goes.
     * @param threads The most threads to use (1: the calling thread only).
     */
    public void score(float[] x, int offset, int n, double[] out, int outOffset, int threads) {
        if (n < 0 || offset < 0 || (long) offset + (long) n * inputSize > x.length || outOffset < 0
                || (long) outOffset + n > out.length) {
            throw new IllegalArgumentException("Rows [" + offset + ", +" + n + "×" + inputSize + ") of a buffer of "
                    + x.length + " or outputs [" + outOffset + ", +" + n + ") of " + out.length + " out of range");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, found " + threads);
        }
        if (n < PARALLEL_MIN_ROWS || threads == 1) {
            kernel.scoreRows(x, offset, n, out, outOffset);
            return;
        }
        RowSplitter.run(n, PARALLEL_CHUNK_ROWS, threads,
                (from, to) -> kernel.scoreRows(x, offset + from * inputSize, to - from, out, outOffset + from));
    }

    /**
     * The input width d.
     * @return d.
     */
    public int inputSize() {
        return inputSize;
    }

    /**
     * The hidden width h.
     * @return h.
     */
    public int hiddenSize() {
        return hiddenSize;
    }

    /**
     * The width of the output-sum tree (and of a hidden block).
     * @return The lanes.
     */
    public int lanes() {
        return lanes;
    }

    /**
     * A short name for logs and benchmark tables.
     * @return The kernel's name.
     */
    public String name() {
        return kernel.name();
    }

    /** Loads the Vector API kernel class only when it is used (the module may be absent). */
    private static final class VectorHolder {
        static int lanes() {
            return VectorOneHiddenLayerKernel.L;
        }

        static boolean supported() {
            return VectorOneHiddenLayerKernel.SUPPORTED;
        }

        static OneHiddenLayerKernel create(OneHiddenLayerScorer s) {
            return new VectorOneHiddenLayerKernel(s);
        }
    }
}
