// Over 600 lines: MSCRED's whole network (conv encoder, ConvLSTM with temporal attention per level, deconv
// decoder with skip concatenation) with forward and backward side by side. The layers are the engine's
// (Conv2DLayer, ConvLSTMLayer, ConvTranspose2DLayer) and the attention is TemporalAttention; what is left here is the
// wiring of the levels, their buffers and its exact reverse for backpropagation, which reads best as one file.
package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.FlatParameters;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.ActivationLayer;
import io.github.tribuokd.nn.Conv2DLayer;
import io.github.tribuokd.nn.ConvLSTMLayer;
import io.github.tribuokd.nn.ConvTranspose2DLayer;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.RecurrentLayer;
import io.github.tribuokd.nn.kernels.GradientShard;
import io.github.tribuokd.nn.kernels.Kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The Multi-Scale Convolutional Recurrent Encoder-Decoder (MSCRED) of Zhang et al., "A Deep Neural Network for
 * Unsupervised Anomaly Detection and Diagnosis in Multivariate Time Series Data", AAAI 2019, as the teacher (four
 * levels) and the student (two levels) of seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) (its §2.1, equations (2)–(4), Figure 2, and §3.1/§3.3).
 * <p>
 * <b>Input.</b> One example is {@code T} ({@link #steps()}) consecutive stacks of signature matrices
 * (seed 002's equation (1), {@code io.github.tribuokd.timeseries}' {@code SignatureMatrices}), each stack
 * {@code [C, n, n]} with one channel per window scale, flattened example-major as {@code [T, C, n, n]}; a batch is
 * {@code [batch, T, C·n·n]}. The network reconstructs the <b>last</b> stack, {@code Ŝ_t [C, n, n]}.
 * <p>
 * <b>Architecture</b> with {@code L} levels, channels {@code c[ℓ]}, encoder kernels {@code k[ℓ]} and strides
 * {@code s[ℓ]} (1-based ℓ = 1..L in this Javadoc and in the public API; MSCRED: c = 32, 64, 128, 256,
 * k = 3, 3, 2, 2, s = 1, 2, 2, 2), map sides {@code h_0 = n}, {@code h_ℓ = ceil(h_{ℓ−1}/s[ℓ])} (55 → 55, 28, 14, 7;
 * 25 → 25, 13, 7, 4):
 * <pre>
 *   encoder ℓ     E_ℓ,i = ReLU(conv_ℓ(E_{ℓ−1},i))          every step i = 1..T; E_0,i = S_i   [c[ℓ], h_ℓ, h_ℓ]
 *                 (TensorFlow-"SAME" padded, kernel k[ℓ], stride s[ℓ]: {@link Conv2DLayer#tfSame})
 *   temporal ℓ    H_ℓ,1..T = ConvLSTM_ℓ(E_ℓ,1..T)          3×3 kernels, zero initial state per example
 *                 Ĥ_ℓ = Σ_i α_i H_ℓ,i,  α = softmax_i(H_ℓ,T · H_ℓ,i / χ)          seed 002 eqs. (2)–(3)
 *   decoder       D_L = Ĥ_L
 *                 D_{ℓ−1} = [ReLU(deconv_ℓ(D_ℓ)) ; Ĥ_{ℓ−1}]    ℓ = L..2, channel concatenation   [2c[ℓ−1], h_{ℓ−1}, h_{ℓ−1}]
 *                 Ŝ_T = deconv_1(D_1)                          linear                            [C, n, n]
 *   residual      Υ = S¹_T − Ŝ¹_T                              seed 002 eq. (4), scale 1         [n, n]
 * </pre>
 * {@code deconv_ℓ} is a {@link ConvTranspose2DLayer} with kernel {@code k[ℓ]}, stride {@code s[ℓ]} and output size
 * {@code h_{ℓ−1}} (the adjoint geometry of {@code conv_ℓ}), from {@code c[L]} (ℓ = L) or {@code 2c[ℓ]} channels to
 * {@code c[ℓ−1]} (or C for ℓ = 1). The concatenation puts the decoder's map first, as MSCRED's code
 * ({@code tf.concat([deconv, conv_lstm_out], axis=3)}). Seed 002 distils Ĥ_2, the attention output of
 * "ConvLSTM2" ({@link #DISTILLED_LEVEL}); {@link #attentionOutput} exposes every Ĥ_ℓ, and {@link #backward} takes
 * an extra gradient with respect to Ĥ_2 for the NormMSE term of equation (8) ({@link NormalisedMSE}).
 * <p>
 * <b>Departures from MSCRED</b>, all deliberate: ReLU instead of SELU after every encoder and decoder layer, and a
 * linear last layer (MSCRED applies SELU to its output too, which cannot produce values below −1.76); 3×3
 * ConvLSTM kernels ({@link ConvLSTMLayer} takes odd kernels; MSCRED's code uses 2×2). With 3×3 kernels the
 * parameter counts match seed 002's: with C = 3 the teacher has 6,687,843 parameters ("approximately 6.7
 * million") and the student 408,611 ("about 400,000"), a ratio of 0.0611 (its "0.061"); counts do not depend on
 * n or T. The attention is the softmax of {@link TemporalAttention} (seed 002's equation (2) prints a typo).
 * <p>
 * <b>Layouts.</b> Inside, everything is time-major like {@link RecurrentLayer}s: the input is transposed once to
 * {@code x [T, batch, C·n·n]}, the encoder runs on the {@code T·batch} stacks as one batch of images, so that its
 * output {@code E_ℓ [T, batch, c·h·h]} is directly the ConvLSTM's input. Attention outputs and the decoder are
 * {@code [batch, …]}.
 * <p>
 * <b>Parameters</b> are one flat buffer: encoders 1..L, ConvLSTMs 1..L, then the decoder in the order it runs,
 * {@code deconv_L, …, deconv_1}; each sub-layer is bound at its offset with its own layout
 * ({@link Conv2DLayer}, {@link ConvLSTMLayer}, {@link ConvTranspose2DLayer}). {@link #initialise} visits them in
 * that order. Counts: {@code conv_ℓ}: {@code c[ℓ]·c[ℓ−1]·k[ℓ]² + c[ℓ]} (c[0] = C), ConvLSTM ℓ:
 * {@code 4c[ℓ]·2c[ℓ]·9 + 4c[ℓ]}, {@code deconv_ℓ}: {@code in·c[ℓ−1]·k[ℓ]² + c[ℓ−1]} with {@code in = c[L]} for
 * ℓ = L and {@code 2c[ℓ]} otherwise (c[0] = C).
 * <p>
 * <b>Memory and threads.</b> The network holds parameters only; everything a forward and backward pass needs is in
 * a {@link Workspace} of a fixed batch capacity, so one network serves several threads, each with its own
 * workspace, and forward and backward allocate nothing once a thread's convolution scratch has grown (the
 * backward buffers of a workspace are allocated on its first backward pass). The ConvLSTM caches dominate: per
 * example and level about {@code (11·T + 10)·c·h²} floats, plus {@code 4·T·c·h²} of the largest level for the
 * backward pass (for the teacher at n = 55 and T = 5, about 56 MB per example of capacity). Every sum runs in a fixed order, so results are deterministic and an example's outputs do not depend
 * on the rest of its batch.
 */
public final class MSCREDNetwork implements FlatParameters {

    /** The level whose attention output seed 002 distils (1-based: "ConvLSTM2"). */
    public static final int DISTILLED_LEVEL = 2;

    /** The side of every ConvLSTM kernel (odd, "same" padding). */
    public static final int CONV_LSTM_KERNEL = 3;

    private final int scales;
    private final int side;
    private final int steps;
    private final int levels;
    private final int[] channels;
    private final int[] kernels;
    private final int[] strides;
    private final double attentionRescale;
    /** {@code sides[ℓ]}: rows (= columns) of the maps of level ℓ + 1 (0-based index). */
    private final int[] sides;
    /** {@code mapSizes[ℓ]}: {@code c·h·h} of level ℓ + 1. */
    private final int[] mapSizes;
    private final Conv2DLayer[] encoder;
    private final ConvLSTMLayer[] lstm;
    private final TemporalAttention[] attention;
    /** {@code decoder[ℓ]}: level ℓ + 1 → level ℓ (0-based), {@code decoder[0]} the last layer (→ [C, n, n]). */
    private final ConvTranspose2DLayer[] decoder;
    /** First parameter of every sub-layer in buffer order, then the total: {@code 3L + 1} entries. */
    private final int[] blockOffsets;
    /** Shape of the buffers, to match workspaces with networks (copies included). */
    private final int[] signature;
    private final float[] parameters;

    /**
     * Creates a network with zero parameters; call {@link #initialise} or {@link #setParameters}.
     * @param scales C, the number of signature-matrix scales (channels of the input stacks).
     * @param n The number of variables: every signature matrix is {@code n × n}.
     * @param steps T, the number of stacks per example (MSCRED: 5).
     * @param channels {@code c[1..L]}: the channels of every level (one entry per level).
     * @param kernels {@code k[1..L]}: the encoder's kernel sides (the decoder's too).
     * @param strides {@code s[1..L]}: the encoder's strides (the decoder's too).
     * @param attentionRescale χ of the temporal attention (seed 002's β; MSCRED's code: 5).
     * @throws IllegalArgumentException If a size is not positive, the three arrays differ in length or are empty,
     *                                  or χ is not positive and finite.
     */
    public MSCREDNetwork(int scales, int n, int steps, int[] channels, int[] kernels, int[] strides,
                         double attentionRescale) {
        if (scales < 1 || n < 1 || steps < 1) {
            throw new IllegalArgumentException("MSCRED needs positive scales, matrix side and steps, found scales "
                    + scales + ", n " + n + ", steps " + steps);
        }
        if (channels == null || kernels == null || strides == null) {
            throw new IllegalArgumentException("channels, kernels and strides must not be null");
        }
        if (channels.length == 0 || channels.length != kernels.length || channels.length != strides.length) {
            throw new IllegalArgumentException("channels, kernels and strides need one entry per level (at least "
                    + "one level), found lengths " + channels.length + ", " + kernels.length + ", "
                    + strides.length);
        }
        for (int l = 0; l < channels.length; l++) {
            if (channels[l] < 1 || kernels[l] < 1 || strides[l] < 1) {
                throw new IllegalArgumentException("Level " + (l + 1) + " needs positive channels, kernel and "
                        + "stride, found " + channels[l] + ", " + kernels[l] + ", " + strides[l]);
            }
        }
        if (!(attentionRescale > 0.0) || Double.isInfinite(attentionRescale)) {
            throw new IllegalArgumentException("The attention rescale factor must be positive and finite, found "
                    + attentionRescale);
        }
        if ((long) scales * n * n > Integer.MAX_VALUE / steps) {
            throw new IllegalArgumentException("An example of " + steps + " stacks of " + scales + "x" + n + "x" + n
                    + " is too large for int indexing");
        }
        this.scales = scales;
        this.side = n;
        this.steps = steps;
        this.levels = channels.length;
        this.channels = channels.clone();
        this.kernels = kernels.clone();
        this.strides = strides.clone();
        this.attentionRescale = attentionRescale;
        final int L = levels;
        sides = new int[L];
        mapSizes = new int[L];
        encoder = new Conv2DLayer[L];
        lstm = new ConvLSTMLayer[L];
        attention = new TemporalAttention[L];
        decoder = new ConvTranspose2DLayer[L];
        int in = n;
        for (int l = 0; l < L; l++) {
            int inChannels = l == 0 ? scales : this.channels[l - 1];
            encoder[l] = Conv2DLayer.tfSame(inChannels, in, in, this.channels[l], this.kernels[l], this.strides[l],
                    Activation.RELU);
            sides[l] = encoder[l].outHeight();
            long size = (long) this.channels[l] * sides[l] * sides[l];
            if (2 * size * steps > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Level " + (l + 1) + " maps of " + size + " values are too large "
                        + "for int indexing");
            }
            mapSizes[l] = (int) size;
            lstm[l] = new ConvLSTMLayer(this.channels[l], this.channels[l], sides[l], sides[l], CONV_LSTM_KERNEL);
            attention[l] = new TemporalAttention(mapSizes[l], attentionRescale);
            in = sides[l];
        }
        for (int l = L - 1; l >= 1; l--) {
            int inChannels = l == L - 1 ? this.channels[l] : 2 * this.channels[l];
            decoder[l] = new ConvTranspose2DLayer(inChannels, sides[l], sides[l], this.channels[l - 1],
                    this.kernels[l], this.strides[l], sides[l - 1], sides[l - 1], Activation.RELU);
        }
        decoder[0] = new ConvTranspose2DLayer(L == 1 ? this.channels[0] : 2 * this.channels[0], sides[0], sides[0],
                scales, this.kernels[0], this.strides[0], n, n, Activation.IDENTITY);
        // parameter order: encoders, ConvLSTMs, decoder in running order (deconv_L first, deconv_1 last)
        blockOffsets = new int[3 * L + 1];
        long total = 0;
        int block = 0;
        for (int l = 0; l < L; l++) {
            blockOffsets[block++] = (int) total;
            total += encoder[l].numParameters();
            checkTotal(total);
        }
        for (int l = 0; l < L; l++) {
            blockOffsets[block++] = (int) total;
            total += lstm[l].numParameters();
            checkTotal(total);
        }
        for (int l = L - 1; l >= 0; l--) {
            blockOffsets[block++] = (int) total;
            total += decoder[l].numParameters();
            checkTotal(total);
        }
        blockOffsets[block] = (int) total;
        parameters = new float[(int) total];
        block = 0;
        for (int l = 0; l < L; l++) {
            encoder[l].bind(parameters, blockOffsets[block++]);
        }
        for (int l = 0; l < L; l++) {
            lstm[l].bind(parameters, blockOffsets[block++]);
        }
        for (int l = L - 1; l >= 0; l--) {
            decoder[l].bind(parameters, blockOffsets[block++]);
        }
        signature = new int[3 + 3 * L];
        signature[0] = scales;
        signature[1] = n;
        signature[2] = steps;
        for (int l = 0; l < L; l++) {
            signature[3 + 3 * l] = this.channels[l];
            signature[4 + 3 * l] = this.kernels[l];
            signature[5 + 3 * l] = this.strides[l];
        }
    }

    private static void checkTotal(long total) {
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Too many parameters for one float[]: " + total);
        }
    }

    /**
     * MSCRED's network (seed 002's teacher): four levels, channels 32, 64, 128, 256, kernels 3, 3, 2, 2, strides
     * 1, 2, 2, 2, χ = 5.
     * @param scales C, the number of signature-matrix scales (MSCRED: 3).
     * @param n The matrix side (the number of variables).
     * @param steps T, stacks per example (MSCRED: 5).
     * @return A network with zero parameters.
     */
    public static MSCREDNetwork teacher(int scales, int n, int steps) {
        return new MSCREDNetwork(scales, n, steps, MSCREDArchitecture.channels(4), MSCREDArchitecture.kernels(4),
                MSCREDArchitecture.strides(4), TemporalAttention.DEFAULT_RESCALE);
    }

    /**
     * Seed 002's student: the first two levels of MSCRED (channels 32, 64, kernels 3, 3, strides 1, 2, χ = 5), two
     * attention-based ConvLSTMs whose second one's attention output matches the teacher's Ĥ_2 in shape.
     * @param scales C, the number of signature-matrix scales.
     * @param n The matrix side (the number of variables).
     * @param steps T, stacks per example.
     * @return A network with zero parameters.
     */
    public static MSCREDNetwork student(int scales, int n, int steps) {
        return new MSCREDNetwork(scales, n, steps, MSCREDArchitecture.channels(2), MSCREDArchitecture.kernels(2),
                MSCREDArchitecture.strides(2), TemporalAttention.DEFAULT_RESCALE);
    }

    /**
     * Initialises every sub-layer from the random source in parameter order: encoders (He uniform), ConvLSTMs
     * (±1/sqrt(fan-in), forget bias 1), decoder from {@code deconv_L} to {@code deconv_1} (He uniform before ReLU,
     * Glorot uniform for the linear last layer); biases of the convolutions start at zero.
     * @param rng The random source.
     */
    public void initialise(SplittableRandom rng) {
        for (int l = 0; l < levels; l++) {
            encoder[l].initialise(rng);
        }
        for (int l = 0; l < levels; l++) {
            lstm[l].initialise(rng);
        }
        for (int l = levels - 1; l >= 0; l--) {
            decoder[l].initialise(rng);
        }
    }

    /**
     * A deep copy: the same configuration and parameters (workspaces of either network serve both).
     * @return A new network.
     */
    public MSCREDNetwork copy() {
        MSCREDNetwork c = new MSCREDNetwork(scales, side, steps, channels, kernels, strides, attentionRescale);
        System.arraycopy(parameters, 0, c.parameters, 0, parameters.length);
        return c;
    }

    /**
     * The number of signature-matrix scales.
     * @return C.
     */
    public int scales() {
        return scales;
    }

    /**
     * The side of every signature matrix (the number of variables).
     * @return n.
     */
    public int side() {
        return side;
    }

    /**
     * The number of stacks per example.
     * @return T.
     */
    public int steps() {
        return steps;
    }

    /**
     * The number of levels (encoder layers, ConvLSTMs, decoder layers).
     * @return L.
     */
    public int levels() {
        return levels;
    }

    /**
     * The attention's rescale factor.
     * @return χ (seed 002's β).
     */
    public double attentionRescale() {
        return attentionRescale;
    }

    /**
     * The values of one stack of signature matrices, which is also one example's output.
     * @return {@code C·n·n}.
     */
    public int stackSize() {
        return scales * side * side;
    }

    /**
     * The values of one example's input.
     * @return {@code T·C·n·n}.
     */
    public int inputSize() {
        return steps * stackSize();
    }

    /**
     * The values of one example's reconstruction (the last stack).
     * @return {@code C·n·n}.
     */
    public int outputSize() {
        return stackSize();
    }

    private int index(int level) {
        if (level < 1 || level > levels) {
            throw new IllegalArgumentException("Levels are numbered 1.." + levels + ", found " + level);
        }
        return level - 1;
    }

    /**
     * The channels of a level's encoder output, ConvLSTM and attention output.
     * @param level 1..L.
     * @return {@code c[level]}.
     */
    public int levelChannels(int level) {
        return channels[index(level)];
    }

    /**
     * The side of a level's maps (they are square): {@code h_ℓ = ceil(h_{ℓ−1}/s[ℓ])}, {@code h_0 = n}.
     * @param level 1..L.
     * @return {@code h_level}.
     */
    public int levelSide(int level) {
        return sides[index(level)];
    }

    /**
     * The shape of a level's maps.
     * @param level 1..L.
     * @return {@code {c, h, h}} (a new array).
     */
    public int[] levelShape(int level) {
        int l = index(level);
        return new int[]{channels[l], sides[l], sides[l]};
    }

    /**
     * The values of one map of a level (one encoder output, hidden map or attention output).
     * @param level 1..L.
     * @return {@code c·h·h}.
     */
    public int attentionSize(int level) {
        return mapSizes[index(level)];
    }

    /**
     * The encoder's (and decoder's) kernel side at a level.
     * @param level 1..L.
     * @return {@code k[level]}.
     */
    public int kernel(int level) {
        return kernels[index(level)];
    }

    /**
     * The encoder's (and decoder's) stride at a level.
     * @param level 1..L.
     * @return {@code s[level]}.
     */
    public int stride(int level) {
        return strides[index(level)];
    }

    /**
     * The encoder convolution of a level: a live view bound to this network's parameter buffer (its offsets index
     * {@link #parameters()}), for reading its geometry and weights, e.g. to export the network to ONNX. Do not
     * rebind it.
     * @param level 1..L.
     * @return {@code conv_level}.
     */
    public Conv2DLayer encoderLayer(int level) {
        return encoder[index(level)];
    }

    /**
     * The ConvLSTM of a level: a live view bound to this network's parameter buffer (see {@link #encoderLayer}).
     * @param level 1..L.
     * @return ConvLSTM_level.
     */
    public ConvLSTMLayer convLSTMLayer(int level) {
        return lstm[index(level)];
    }

    /**
     * The transposed convolution {@code deconv_level} (level → level − 1; level 1 gives the reconstruction): a live
     * view bound to this network's parameter buffer (see {@link #encoderLayer}).
     * @param level 1..L.
     * @return {@code deconv_level}.
     */
    public ConvTranspose2DLayer decoderLayer(int level) {
        return decoder[index(level)];
    }

    /** First parameter of every sub-layer in buffer order, then the total (a copy). */
    int[] blockOffsets() {
        return blockOffsets.clone();
    }

    /**
     * The live flat parameter buffer (not a copy): optimisers update it in place.
     * @return The parameter buffer.
     */
    @Override
    public float[] parameters() {
        return parameters;
    }

    /**
     * Multiply-accumulates of one example's forward pass: per level, T encoder convolutions
     * ({@link Conv2DLayer#multiplyAccumulates()}), T ConvLSTM steps
     * ({@link ConvLSTMLayer#multiplyAccumulatesPerStep()}), the attention's {@code 2·T·c·h·h} (T scores and the
     * weighted sum) and one transposed convolution ({@link ConvTranspose2DLayer#multiplyAccumulates()}); biases,
     * activations and the ConvLSTM's element-wise gate work are not counted. A backward pass costs about twice as
     * many (less the first encoder's input gradient when it is not asked for).
     * @return The count.
     */
    public long multiplyAccumulates() {
        long macs = 0;
        for (int l = 0; l < levels; l++) {
            macs += steps * (encoder[l].multiplyAccumulates() + lstm[l].multiplyAccumulatesPerStep()
                    + 2L * mapSizes[l]);
            macs += decoder[l].multiplyAccumulates();
        }
        return macs;
    }

    /**
     * Scratch memory for batches of up to {@code maxBatch} examples.
     * @param maxBatch The largest batch.
     * @return A new workspace (one per thread).
     */
    public Workspace newWorkspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    /**
     * The forward pass.
     * @param input {@code [batch, T, C·n·n]} from offset 0.
     * @param batch The number of examples (at most the workspace's capacity).
     * @param ws Scratch memory.
     * @return The reconstructions {@code Ŝ_T [batch, C·n·n]}: a workspace view, valid until its next use.
     */
    public float[] forward(float[] input, int batch, Workspace ws) {
        return forward(input, 0, batch, ws);
    }

    /**
     * The forward pass on examples {@code [offset / inputSize(), …)} of a larger array (no copy of the chunk
     * besides the transposition to time-major).
     * @param input {@code [.., T, C·n·n]}.
     * @param offset The first value of the first example.
     * @param batch The number of examples (at most the workspace's capacity).
     * @param ws Scratch memory.
     * @return The reconstructions {@code Ŝ_T [batch, C·n·n]}: a workspace view, valid until its next use.
     */
    public float[] forward(float[] input, int offset, int batch, Workspace ws) {
        ws.check(this, batch);
        if (offset < 0 || (long) offset + (long) batch * inputSize() > input.length) {
            throw new IllegalArgumentException("The input must hold " + batch + " examples of [T, C, n, n] = ["
                    + steps + ", " + scales + ", " + side + ", " + side + "] from offset " + offset + ", found "
                    + "length " + input.length);
        }
        load(input, null, 0, offset, batch, ws);
        run(batch, ws);
        return ws.reconstruction;
    }

    /**
     * Ĥ of a level after the last forward pass: seed 002's distilled map for {@code level = 2}
     * ({@link #DISTILLED_LEVEL}).
     * @param ws The workspace of the forward call.
     * @param level 1..L.
     * @return {@code [batch, c·h·h]} (a workspace view, valid until its next use).
     */
    public float[] attentionOutput(Workspace ws, int level) {
        ws.checkOwner(this);
        return ws.attention[index(level)];
    }

    /**
     * The attention weights α of a level after the last forward pass (MSCRED reads them to see which steps
     * mattered).
     * @param ws The workspace of the forward call.
     * @param level 1..L.
     * @return {@code [batch, T]} (a workspace view), each row summing to 1.
     */
    public float[] attentionWeights(Workspace ws, int level) {
        ws.checkOwner(this);
        return ws.alpha[index(level)];
    }

    /**
     * The residual matrices of scale 1 of the last stack (seed 002's equation (4), MSCRED's anomaly score counts
     * their large entries): runs the forward pass and writes {@code Υ = S¹_T − Ŝ¹_T}, where scale 1 is channel 0
     * of a stack (the shortest window of {@code SignatureMatrices}). Allocates nothing.
     * @param input {@code [.., T, C·n·n]}.
     * @param offset The first value of the first example.
     * @param batch The number of examples.
     * @param ws Scratch memory.
     * @param residuals Receives {@code [batch, n, n]} from offset 0.
     */
    // Υ[b] = x[T−1, b, channel 0] − Ŝ[b, channel 0]
    public void residuals(float[] input, int offset, int batch, Workspace ws, float[] residuals) {
        final int nn = side * side;
        if (residuals.length < (long) batch * nn) {
            throw new IllegalArgumentException("residuals must hold [batch, n, n] = [" + batch + ", " + side + ", "
                    + side + "] floats, found length " + residuals.length);
        }
        forward(input, offset, batch, ws);
        final int F = stackSize();
        final int last = (steps - 1) * batch * F;
        for (int b = 0; b < batch; b++) {
            int s = last + b * F;
            int r = b * F;
            int o = b * nn;
            for (int j = 0; j < nn; j++) {
                residuals[o + j] = ws.x[s + j] - ws.reconstruction[r + j];
            }
        }
    }

    /**
     * {@link #residuals(float[], int, int, Workspace, float[])} from offset 0.
     * @param input {@code [batch, T, C·n·n]}.
     * @param batch The number of examples.
     * @param ws Scratch memory.
     * @param residuals Receives {@code [batch, n, n]}.
     */
    public void residuals(float[] input, int batch, Workspace ws, float[] residuals) {
        residuals(input, 0, batch, ws, residuals);
    }

    /**
     * The time-major input {@code x [T, batch, F]} from the examples' rows {@code [T, F]}: example b is at
     * {@code offset + b·T·F}, or at {@code order[from + b]·T·F} when {@code order} is given.
     */
    private void load(float[] data, int[] order, int from, int offset, int batch, Workspace ws) {
        final int F = stackSize();
        final int TF = steps * F;
        for (int b = 0; b < batch; b++) {
            long src = order == null ? offset + (long) b * TF : (long) order[from + b] * TF;
            if (src + TF > data.length) {
                throw new IllegalArgumentException("Example " + (order == null ? b : order[from + b]) + " lies "
                        + "beyond the end of an input array of " + data.length + " floats");
            }
            for (int t = 0; t < steps; t++) {
                System.arraycopy(data, (int) src + t * F, ws.x, (t * batch + b) * F, F);
            }
        }
    }

    // x [T, B, C·n·n] (time-major, in ws.x) ->
    //   per level ℓ: E_ℓ [T·B, c, h, h] = ReLU(conv_ℓ(E_{ℓ−1}))      (E_0 = x; T·B images, time-major)
    //               H_ℓ [T, B, c·h·h] = ConvLSTM_ℓ(E_ℓ), zero initial state
    //               Ĥ_ℓ [B, c·h·h] = Σ_i α_i H_ℓ,i, α [B, T]         (eqs. 2–3)
    //   decoder:    P_{ℓ−1} [B, c[ℓ−1], h_{ℓ−1}²] = ReLU(deconv_ℓ(D_ℓ)), D_{ℓ−1} = [P_{ℓ−1} ; Ĥ_{ℓ−1}]  (ℓ = L..2)
    //               Ŝ [B, C·n·n] = deconv_1(D_1)                      (D_L = Ĥ_L)
    private void run(int batch, Workspace ws) {
        final int T = steps;
        final int images = T * batch;
        float[] in = ws.x;
        for (int l = 0; l < levels; l++) {
            encoder[l].forward(in, 0, ws.encoded[l], images);
            relu(ws.encoded[l], images * mapSizes[l]);
            lstm[l].forward(ws.encoded[l], batch, T, null, ws.hidden[l], ws.caches[l]);
            attention[l].forward(ws.hidden[l], T, batch, ws.attention[l], ws.alpha[l]);
            in = ws.encoded[l];
        }
        float[] d = ws.attention[levels - 1];
        for (int l = levels - 1; l >= 1; l--) {
            final int D = mapSizes[l - 1];
            decoder[l].forward(d, ws.decoded[l - 1], batch);
            relu(ws.decoded[l - 1], batch * D);
            concatenate(ws.decoded[l - 1], ws.attention[l - 1], D, batch, ws.concat[l - 1]);
            d = ws.concat[l - 1];
        }
        decoder[0].forward(d, ws.reconstruction, batch);
        ws.batch = batch;
    }

    /**
     * The backward pass of the last forward pass on {@code ws}: ADDS the parameter gradients of
     * {@code L = ⟨dReconstruction, Ŝ⟩ + ⟨dAttention2, Ĥ_2⟩} into {@code gradients}, and writes the input gradient
     * when asked (seed 002's student trains the Long-Term Accumulator through its input {@code S = M + β},
     * equation (7)).
     * @param dReconstruction dL/dŜ, {@code [batch, C·n·n]}.
     * @param dAttention2OrNull An extra dL/dĤ_2, {@code [batch, c[2]·h_2·h_2]} (equation (8)'s NormMSE term, see
     *                          {@link NormalisedMSE}), added to what flows back from the decoder; {@code null} for
     *                          none. Needs at least two levels.
     * @param batch The batch of the forward call.
     * @param ws The workspace of the forward call.
     * @param gradients Accumulates dL/dParameters (layout of {@link #parameters()}).
     * @param dInputOrNull Receives dL/dInput {@code [batch, T, C·n·n]}, overwritten; {@code null} skips the first
     *                     encoder's input gradient.
     */
    // decoder, output first:  dD_1 = deconv_1ᵀ(dŜ);  for ℓ = 2..L: [dP_{ℓ−1} ; dĤ_{ℓ−1}] = dD_{ℓ−1},
    //                         dP ⊙= ReLU'(P), dD_ℓ = deconv_ℓᵀ(dP)   (dD_L = dĤ_L)
    // dĤ_2 += dAttention2
    // levels, top first:       dH_ℓ [T, B, D] = attentionᵀ(dĤ_ℓ);  dE_ℓ = (from conv_{ℓ+1}) + ConvLSTMᵀ(dH_ℓ)
    //                          dE_ℓ ⊙= ReLU'(E_ℓ);  dE_{ℓ−1} = conv_ℓᵀ(dE_ℓ)   (dE_0 = dx [T, B, C·n·n])
    // dInput [B, T, C·n·n] = transpose(dx)
    public void backward(float[] dReconstruction, float[] dAttention2OrNull, int batch, Workspace ws,
                         float[] gradients, float[] dInputOrNull) {
        ws.check(this, batch);
        if (ws.batch != batch) {
            throw new IllegalStateException(ws.batch == 0 ? "backward needs a forward pass on this workspace"
                    : "The last forward pass on this workspace had batch " + ws.batch + ", not " + batch);
        }
        if (gradients.length != parameters.length) {
            throw new IllegalArgumentException("Expected a gradient buffer of " + parameters.length + " floats, found "
                    + gradients.length);
        }
        final int F = stackSize();
        if (dReconstruction.length < (long) batch * F) {
            throw new IllegalArgumentException("dReconstruction must hold [batch, C·n·n] = [" + batch + ", " + F
                    + "] floats, found length " + dReconstruction.length);
        }
        if (dAttention2OrNull != null) {
            if (levels < DISTILLED_LEVEL) {
                throw new IllegalArgumentException("A gradient for the attention output of level " + DISTILLED_LEVEL
                        + " needs at least " + DISTILLED_LEVEL + " levels; this network has " + levels);
            }
            if (dAttention2OrNull.length < (long) batch * mapSizes[DISTILLED_LEVEL - 1]) {
                throw new IllegalArgumentException("dAttention2 must hold [batch, c·h·h] = [" + batch + ", "
                        + mapSizes[DISTILLED_LEVEL - 1] + "] floats, found length " + dAttention2OrNull.length);
            }
        }
        if (dInputOrNull != null && dInputOrNull.length < (long) batch * inputSize()) {
            throw new IllegalArgumentException("dInput must hold [batch, T, C·n·n] = [" + batch + ", " + steps + ", "
                    + F + "] floats, found length " + dInputOrNull.length);
        }
        ws.ensureGradientBuffers();
        final int T = steps;
        final int images = T * batch;
        final int L = levels;
        // decoder: deconv_1 first
        decoder[0].backward(L == 1 ? ws.attention[0] : ws.concat[0], ws.reconstruction, dReconstruction,
                L == 1 ? ws.dAttention[0] : ws.dConcat, gradients, batch);
        for (int l = 1; l < L; l++) {
            final int D = mapSizes[l - 1];
            final boolean top = l == L - 1;
            split(ws.dConcat, D, batch, ws.dDecoded, ws.dAttention[l - 1]);
            reluBackward(ws.dDecoded, ws.decoded[l - 1], batch * D);
            decoder[l].backward(top ? ws.attention[l] : ws.concat[l], ws.decoded[l - 1], ws.dDecoded,
                    top ? ws.dAttention[l] : ws.dConcat, gradients, batch);
        }
        if (dAttention2OrNull != null) {
            final float[] dA = ws.dAttention[DISTILLED_LEVEL - 1];
            final int n = batch * mapSizes[DISTILLED_LEVEL - 1];
            for (int i = 0; i < n; i++) {
                dA[i] += dAttention2OrNull[i];
            }
        }
        // temporal levels and encoder, the deepest first
        float[] dE = ws.dEncodedA;      // dL/dE_ℓ [T, B, D_ℓ]
        float[] dBelow = ws.dEncodedB;  // dL/dE_{ℓ−1}, written by conv_ℓ's backward
        for (int l = L - 1; l >= 0; l--) {
            final int n = images * mapSizes[l];
            attention[l].backward(ws.hidden[l], ws.alpha[l], ws.dAttention[l], T, batch, ws.dHidden);
            if (l == L - 1) {
                lstm[l].backward(ws.dHidden, null, batch, T, ws.caches[l], dE, gradients, null);
            } else { // dE already holds what conv_{ℓ+1} sent back
                lstm[l].backward(ws.dHidden, null, batch, T, ws.caches[l], ws.dLstmInput, gradients, null);
                final float[] dx = ws.dLstmInput;
                for (int i = 0; i < n; i++) {
                    dE[i] += dx[i];
                }
            }
            reluBackward(dE, ws.encoded[l], n);
            float[] dIn = l > 0 ? dBelow : (dInputOrNull == null ? null : ws.dx);
            encoder[l].backward(l == 0 ? ws.x : ws.encoded[l - 1], ws.encoded[l], dE, dIn, gradients, images);
            float[] swap = dE;
            dE = dBelow;
            dBelow = swap;
        }
        if (dInputOrNull != null) {
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < T; t++) {
                    System.arraycopy(ws.dx, (t * batch + b) * F, dInputOrNull, (b * T + t) * F, F);
                }
            }
        }
    }

    /** {@code a[0..n) = max(a, 0)} in place. */
    private static void relu(float[] a, int n) {
        Kernels.get().activate(Activation.RELU, a, 0, a, 0, n);
    }

    /**
     * {@code d[i] *= ReLU'(x_i)}, from the output y: {@code y·1e38·1e38} is +∞ for every y &gt; 0 and 0 for y = 0,
     * so its min with 1 is the derivative without a branch (as in {@link ActivationLayer}).
     */
    private static void reluBackward(float[] d, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            d[i] *= Math.min(1f, y[i] * 1e38f * 1e38f);
        }
    }

    /** {@code cat [B, 2D]}: row b is {@code [a[b] ; h[b]]} (channel concatenation of channel-major maps). */
    private static void concatenate(float[] a, float[] h, int d, int batch, float[] cat) {
        for (int b = 0; b < batch; b++) {
            System.arraycopy(a, b * d, cat, 2 * b * d, d);
            System.arraycopy(h, b * d, cat, (2 * b + 1) * d, d);
        }
    }

    /** The inverse of {@link #concatenate}: {@code a[b] = cat[b][0, D)}, {@code h[b] = cat[b][D, 2D)}. */
    private static void split(float[] cat, int d, int batch, float[] a, float[] h) {
        for (int b = 0; b < batch; b++) {
            System.arraycopy(cat, 2 * b * d, a, b * d, d);
            System.arraycopy(cat, (2 * b + 1) * d, h, b * d, d);
        }
    }

    /**
     * A training shard for plain reconstruction (MSCRED, and seed 002's teacher): the loss is the mean squared
     * error between Ŝ_T and the last stack {@code S_T} of each example, over all {@code C·n·n} values (equation
     * (4)'s residual, squared and averaged), for
     * {@link MinibatchTraining#train(float[], java.util.function.IntFunction, int, int, Optimiser, int, int,
     * SplittableRandom, String, int)} with {@code elementsPerExample = C·n·n}.
     * @param inputs All training examples {@code [n_examples, T, C·n·n]}.
     * @param capacity The most examples per shard.
     * @return A new shard (with its own workspace).
     */
    public GradientShard newShard(float[] inputs, int capacity) {
        if (inputs == null || inputs.length % inputSize() != 0) {
            throw new IllegalArgumentException("The training inputs must be [n_examples, T, C·n·n] with T·C·n·n = "
                    + inputSize() + ", found length " + (inputs == null ? "null" : String.valueOf(inputs.length)));
        }
        return new ReconstructionShard(inputs, capacity);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MSCREDNetwork(scales=").append(scales).append(",n=").append(side)
                .append(",steps=").append(steps).append(",levels=");
        for (int l = 0; l < levels; l++) {
            sb.append(l == 0 ? "[" : ", ").append(channels[l]).append('x').append(sides[l]).append('x')
                    .append(sides[l]).append(" k").append(kernels[l]).append(" s").append(strides[l]);
        }
        return sb.append("],chi=").append(attentionRescale).append(",parameters=").append(parameters.length)
                .append(')').toString();
    }

    /** Reconstruction MSE on the last stack, for {@link MinibatchTraining}. */
    private final class ReconstructionShard implements GradientShard {
        private final float[] inputs;
        private final Workspace ws;
        private final float[] dReconstruction;
        private final float[] grads = new float[parameters.length];

        ReconstructionShard(float[] inputs, int capacity) {
            this.inputs = inputs;
            this.ws = newWorkspace(capacity);
            this.dReconstruction = new float[Math.multiplyExact(capacity, stackSize())];
        }

        @Override
        public float[] gradients() {
            return grads;
        }

        // L = Σ (Ŝ − S_T)² over this shard, gradient 2(Ŝ − S_T) / (batchSize·C·n·n); S_T is block T−1 of ws.x
        @Override
        public double compute(int[] order, int from, int to, int batchSize) {
            Arrays.fill(grads, 0f);
            int batch = to - from;
            if (batch == 0) {
                return 0.0;
            }
            ws.check(MSCREDNetwork.this, batch);
            load(inputs, order, from, 0, batch, ws);
            run(batch, ws);
            final int n = batch * stackSize();
            final int last = (steps - 1) * n;
            final float inv = 1f / ((long) batchSize * stackSize());
            double loss = 0.0;
            for (int i = 0; i < n; i++) {
                float d = ws.reconstruction[i] - ws.x[last + i];
                loss += (double) d * d;
                dReconstruction[i] = 2f * d * inv;
            }
            backward(dReconstruction, null, batch, ws, grads, null);
            return loss;
        }
    }

    /**
     * Per-thread scratch memory of an {@link MSCREDNetwork} (usable by its copies, and by any network of the same
     * configuration): every activation of one forward pass for up to {@link #capacity()} examples, the ConvLSTM
     * caches, and the backward pass's buffers (allocated on its first use, so that scoring workspaces do not hold
     * them).
     */
    public static final class Workspace {
        private final int[] signature;
        private final int capacity;
        private final int steps;
        private final int[] mapSizes;
        private final int stackSize;
        /** {@code [T, B, C·n·n]}: the input, time-major. */
        final float[] x;
        /** {@code [L][T, B, c·h·h]}: encoder outputs after ReLU. */
        final float[][] encoded;
        /** {@code [L][T, B, c·h·h]}: ConvLSTM hidden maps. */
        final float[][] hidden;
        final RecurrentLayer.Cache[] caches;
        /** {@code [L][B, T]}: attention weights. */
        final float[][] alpha;
        /** {@code [L][B, c·h·h]}: Ĥ of every level. */
        final float[][] attention;
        /** {@code [L−1][B, c·h·h]}: {@code P_ℓ = ReLU(deconv_{ℓ+1}(…))} at the resolution of level ℓ (1-based). */
        final float[][] decoded;
        /** {@code [L−1][B, 2c·h·h]}: {@code D_ℓ = [P_ℓ ; Ĥ_ℓ]}. */
        final float[][] concat;
        /** {@code [B, C·n·n]}: Ŝ_T. */
        final float[] reconstruction;
        /** Batch of the last forward pass (0 before the first). */
        int batch;
        float[] dConcat;
        float[] dDecoded;
        float[][] dAttention;
        float[] dHidden;
        float[] dLstmInput;
        float[] dEncodedA;
        float[] dEncodedB;
        float[] dx;

        private Workspace(MSCREDNetwork net, int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("Workspace capacity must be positive, found " + capacity);
            }
            this.signature = net.signature;
            this.capacity = capacity;
            this.steps = net.steps;
            this.mapSizes = net.mapSizes;
            this.stackSize = net.stackSize();
            final int L = net.levels;
            final int T = net.steps;
            x = new float[Math.multiplyExact(Math.multiplyExact(T, capacity), stackSize)];
            encoded = new float[L][];
            hidden = new float[L][];
            caches = new RecurrentLayer.Cache[L];
            alpha = new float[L][];
            attention = new float[L][];
            decoded = new float[Math.max(L - 1, 0)][];
            concat = new float[Math.max(L - 1, 0)][];
            for (int l = 0; l < L; l++) {
                int d = mapSizes[l];
                encoded[l] = new float[Math.multiplyExact(Math.multiplyExact(T, capacity), d)];
                hidden[l] = new float[encoded[l].length];
                caches[l] = net.lstm[l].newCache(capacity, T);
                alpha[l] = new float[Math.multiplyExact(capacity, T)];
                attention[l] = new float[Math.multiplyExact(capacity, d)];
                if (l < L - 1) {
                    decoded[l] = new float[attention[l].length];
                    concat[l] = new float[Math.multiplyExact(2, attention[l].length)];
                }
            }
            reconstruction = new float[Math.multiplyExact(capacity, stackSize)];
        }

        /**
         * The largest batch this workspace serves.
         * @return The capacity.
         */
        public int capacity() {
            return capacity;
        }

        private void ensureGradientBuffers() {
            if (dHidden != null) {
                return;
            }
            int maxMap = 0;
            for (int d : mapSizes) {
                maxMap = Math.max(maxMap, d);
            }
            int seq = Math.multiplyExact(Math.multiplyExact(steps, capacity), maxMap);
            dConcat = new float[Math.multiplyExact(2 * capacity, maxMap)];
            dDecoded = new float[Math.multiplyExact(capacity, maxMap)];
            dAttention = new float[mapSizes.length][];
            for (int l = 0; l < mapSizes.length; l++) {
                dAttention[l] = new float[Math.multiplyExact(capacity, mapSizes[l])];
            }
            dLstmInput = new float[seq];
            dEncodedA = new float[seq];
            dEncodedB = new float[seq];
            dx = new float[x.length];
            dHidden = new float[seq];
        }

        private void checkOwner(MSCREDNetwork net) {
            if (!Arrays.equals(signature, net.signature)) {
                throw new IllegalArgumentException("This workspace belongs to an MSCRED network of another "
                        + "configuration");
            }
        }

        /** A workspace of this network's configuration, and a batch within capacity. */
        private void check(MSCREDNetwork net, int batch) {
            checkOwner(net);
            if (batch < 1 || batch > capacity) {
                throw new IllegalArgumentException("Batch of " + batch + " does not fit a workspace of capacity "
                        + capacity);
            }
        }
    }
}
