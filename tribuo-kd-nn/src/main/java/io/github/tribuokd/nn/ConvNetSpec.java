package io.github.tribuokd.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A convolutional network described by a short string, so that an architecture is one readable, configurable and
 * serializable value (the seed-001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md) teacher and students S1–S7 are such strings, see {@link #TEACHER} and
 * {@link #STUDENTS}).
 * <p>
 * The input is an image {@code [channels, height, width]} (NCHW, flattened per example). Tokens, separated by
 * {@code -}:
 * <ul>
 *     <li>{@code c16} — 3×3 convolution, 16 output channels, zero "same" padding; {@code c16k5} — kernel 5 (odd);</li>
 *     <li>{@code c64s2}, {@code c128k2s2} — strided convolution (stride 2) with TensorFlow "SAME" padding: the
 *         image becomes {@code ceil(H/s) × ceil(W/s)}, an odd total padding puts its extra zero at the
 *         bottom/right, and any kernel size is allowed ({@code c16k3s1} equals {@code c16}); MSCRED's encoder on
 *         55×55 matrices is {@code c32-c64s2-c128k2s2-c256k2s2} (55 → 55 → 28 → 14 → 7);</li>
 *     <li>{@code v16}, {@code v16k5} — the same without padding ("valid": the image shrinks by k−1);
 *         {@code v16k3s2} — strided, {@code floor((H−k)/s) + 1} rows;</li>
 *     <li>{@code t32k2s2} — transposed convolution (see {@link ConvTranspose2DLayer}), 32 output channels, kernel 2
 *         (default 3), stride 2 (default 1), to an image of {@code H·s × W·s}; {@code t32k3s2o55x55} — to an
 *         explicit {@code 55×55} (reachable sizes: {@code (H−1)·s − k + 2 … (H−1)·s + k + s − 1}). Padding follows
 *         TensorFlow's "SAME" rule, so a decoder undoes its encoder's sizes exactly: MSCRED's decoder from 7×7 is
 *         {@code t128k2s2-t64k2s2-t32k3s2o55x55-t3k3s1} (7 → 14 → 28 → 55 → 55; MSCRED also concatenates the
 *         encoder's ConvLSTM outputs, which a sequential network does not);</li>
 *     <li>{@code p2} — average pooling, kernel = stride = 2 (a remainder row/column is dropped);</li>
 *     <li>{@code u2} — nearest-neighbour upsampling by 2;</li>
 *     <li>{@code d20} — dense layer to 20 units (the input is flattened in C, H, W order);</li>
 *     <li>{@code r4x7x7} — reads the current flat vector as a 4×7×7 image (no computation; sizes must agree).</li>
 * </ul>
 * Every convolution, transposed convolution and dense layer but the last is followed by the hidden activation;
 * the last by the output activation. Parameter and multiply-accumulate counts are computed from the layers, never
 * typed in.
 */
public final class ConvNetSpec {

    /**
     * The seed-001 teacher for 1×28×28 images: five convolutions with two average poolings in the encoder, a
     * 20-dimensional representation between two dense layers, five convolutions with two upsamplings in the
     * decoder (19,905 parameters; the seed reports 19,360).
     */
    public static final String TEACHER = "c16-c16-p2-c16-c12-p2-c4-d20-d196-r4x7x7-c12-u2-c16-c12-u2-c8-c1";

    /**
     * Students S1–S7 of the seed (Table 1: 7,180 / 2,190 / 1,060 / 409 / 225 / 133 / 77 parameters), all
     * convolutional with one dense layer at the end: S1 and S2 five convolutions (S1 is the teacher's encoder with
     * a one-unit head), S3 three, S4–S7 two. Ours have 7,173 / 2,212 / 1,069 / 409 / 225 / 133 / 77.
     */
    public static final List<String> STUDENTS = Collections.unmodifiableList(List.of(
            "c16-c16-p2-c16-c12-p2-c4-d1",
            "c8-c8-p2-c8-c7-p2-c4-d1",
            "c4-p2-c8-c6-p2-d1",
            "c4-p2-v8-p4-d1",
            "c4-p2-v4-p4-d1",
            "c2-p2-v4-p4-d1",
            "c2-p2-v2-p4-d1"));

    private static final Pattern CONV = Pattern.compile("([cv])(\\d+)(?:k(\\d+))?(?:s(\\d+))?");
    private static final Pattern TRANSPOSED = Pattern.compile("t(\\d+)(?:k(\\d+))?(?:s(\\d+))?(?:o(\\d+)x(\\d+))?");
    private static final Pattern POOL = Pattern.compile("([pu])(\\d+)");
    private static final Pattern DENSE = Pattern.compile("d(\\d+)");
    private static final Pattern RESHAPE = Pattern.compile("r(\\d+)x(\\d+)x(\\d+)");

    private final String spec;
    private final int channels;
    private final int height;
    private final int width;
    private final Activation hiddenActivation;
    private final Activation outputActivation;
    private final List<String> shapes;
    private final int outputSize;
    private final int numParameters;
    private final long multiplyAccumulates;

    private ConvNetSpec(String spec, int channels, int height, int width, Activation hiddenActivation,
                        Activation outputActivation) {
        this.spec = spec;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.hiddenActivation = hiddenActivation;
        this.outputActivation = outputActivation;
        List<String> shapeList = new ArrayList<>();
        List<Layer> layers = build(shapeList);
        this.shapes = Collections.unmodifiableList(shapeList);
        this.outputSize = layers.get(layers.size() - 1).outputSize();
        int params = 0;
        long macs = 0;
        for (Layer l : layers) {
            params += l.numParameters();
            macs += multiplyAccumulates(l);
        }
        this.numParameters = params;
        this.multiplyAccumulates = macs;
    }

    /**
     * Parses and checks a specification.
     * @param spec The token string, e.g. {@code "c4-p2-v8-p4-d1"}.
     * @param channels Input channels.
     * @param height Input height.
     * @param width Input width.
     * @param hiddenActivation The activation after every convolution and dense layer but the last.
     * @param outputActivation The activation after the last one.
     * @return The specification.
     * @throws IllegalArgumentException If a token is malformed or the shapes do not fit (the message names the
     *                                  token and the shape it met).
     */
    public static ConvNetSpec parse(String spec, int channels, int height, int width, Activation hiddenActivation,
                                    Activation outputActivation) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("An empty network specification");
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("The input image shape must be positive, found " + channels + "x"
                    + height + "x" + width);
        }
        return new ConvNetSpec(spec.trim().toLowerCase(Locale.ROOT), channels, height, width, hiddenActivation,
                outputActivation);
    }

    /** Builds fresh, unbound layers, recording the shape after each token. */
    private List<Layer> build(List<String> shapeLog) {
        String[] tokens = spec.split("-");
        int lastParametric = -1;
        for (int i = 0; i < tokens.length; i++) {
            if (CONV.matcher(tokens[i]).matches() || TRANSPOSED.matcher(tokens[i]).matches()
                    || DENSE.matcher(tokens[i]).matches()) {
                lastParametric = i;
            }
        }
        if (lastParametric < 0) {
            throw new IllegalArgumentException("The network '" + spec + "' has no convolution, transposed convolution "
                    + "or dense layer");
        }
        List<Layer> layers = new ArrayList<>();
        int c = channels;
        int h = height;
        int w = width;
        boolean flat = false; // after a dense layer until a reshape: the vector has size c (h = w = 1)
        shapeLog.add(shape(c, h, w, flat));
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            Activation act = i == lastParametric ? outputActivation : hiddenActivation;
            Matcher m;
            if ((m = CONV.matcher(t)).matches()) {
                if (flat) {
                    throw error(t, i, "a convolution needs an image; add a reshape token such as r4x7x7 after the "
                            + "dense layer");
                }
                int out = positive(m.group(2), t, i);
                int k = m.group(3) == null ? 3 : positive(m.group(3), t, i);
                boolean same = m.group(1).equals("c");
                boolean strided = m.group(4) != null;
                int stride = strided ? positive(m.group(4), t, i) : 1;
                if (same && !strided && k % 2 == 0) {
                    throw error(t, i, "a padded ('c') convolution without a stride needs an odd kernel, found " + k
                            + "; write c" + out + "k" + k + "s1 for TensorFlow 'SAME' (asymmetric) padding");
                }
                if (!same && (k > h || k > w)) {
                    throw error(t, i, "a " + k + "x" + k + " valid convolution does not fit a " + h + "x" + w
                            + " image");
                }
                Conv2DLayer conv;
                if (!strided) {
                    conv = new Conv2DLayer(c, h, w, out, k, same, act);
                } else if (same) {
                    conv = Conv2DLayer.tfSame(c, h, w, out, k, stride, act);
                } else {
                    conv = new Conv2DLayer(c, h, w, out, k, stride, 0, 0, 0, 0, act);
                }
                layers.add(conv);
                c = out;
                h = conv.outHeight();
                w = conv.outWidth();
                if (act != Activation.IDENTITY) {
                    layers.add(new ActivationLayer(c * h * w, act));
                }
            } else if ((m = TRANSPOSED.matcher(t)).matches()) {
                if (flat) {
                    throw error(t, i, "a transposed convolution needs an image; add a reshape token such as r4x7x7 "
                            + "after the dense layer");
                }
                int out = positive(m.group(1), t, i);
                int k = m.group(2) == null ? 3 : positive(m.group(2), t, i);
                int stride = m.group(3) == null ? 1 : positive(m.group(3), t, i);
                int oh, ow;
                if (m.group(4) != null) {
                    oh = positive(m.group(4), t, i);
                    ow = positive(m.group(5), t, i);
                } else if ((long) h * stride > Integer.MAX_VALUE || (long) w * stride > Integer.MAX_VALUE) {
                    throw error(t, i, "the output of " + h + "x" + w + " upsampled by " + stride + " is too large");
                } else {
                    oh = h * stride;
                    ow = w * stride;
                }
                ConvTranspose2DLayer deconv;
                try {
                    deconv = new ConvTranspose2DLayer(c, h, w, out, k, stride, oh, ow, act);
                } catch (IllegalArgumentException e) {
                    throw error(t, i, e.getMessage());
                }
                layers.add(deconv);
                c = out;
                h = oh;
                w = ow;
                if (act != Activation.IDENTITY) {
                    layers.add(new ActivationLayer(c * h * w, act));
                }
            } else if ((m = POOL.matcher(t)).matches()) {
                if (flat) {
                    throw error(t, i, "pooling and upsampling need an image, found a flat vector of " + c);
                }
                int f = positive(m.group(2), t, i);
                if (m.group(1).equals("p")) {
                    if (f > h || f > w) {
                        throw error(t, i, "pooling by " + f + " does not fit a " + h + "x" + w + " image");
                    }
                    AvgPool2DLayer pool = new AvgPool2DLayer(c, h, w, f);
                    layers.add(pool);
                    h = h / f;
                    w = w / f;
                } else {
                    layers.add(new Upsample2DLayer(c, h, w, f));
                    h = h * f;
                    w = w * f;
                }
            } else if ((m = DENSE.matcher(t)).matches()) {
                int in = flat ? c : c * h * w;
                int out = positive(m.group(1), t, i);
                layers.add(new DenseLayer(in, out, act));
                if (act != Activation.IDENTITY) {
                    layers.add(new ActivationLayer(out, act));
                }
                c = out;
                h = 1;
                w = 1;
                flat = true;
            } else if ((m = RESHAPE.matcher(t)).matches()) {
                int rc = positive(m.group(1), t, i);
                int rh = positive(m.group(2), t, i);
                int rw = positive(m.group(3), t, i);
                int size = flat ? c : c * h * w;
                if ((long) rc * rh * rw != size) {
                    throw error(t, i, "cannot read " + size + " values as " + rc + "x" + rh + "x" + rw);
                }
                c = rc;
                h = rh;
                w = rw;
                flat = false;
            } else {
                throw error(t, i, "unknown token; expected c<N>[k<K>][s<S>], v<N>[k<K>][s<S>], "
                        + "t<N>[k<K>][s<S>][o<H>x<W>], p<K>, u<K>, d<N> or r<C>x<H>x<W>");
            }
            shapeLog.add(t + " -> " + shape(c, h, w, flat));
        }
        return layers;
    }

    private static String shape(int c, int h, int w, boolean flat) {
        return flat ? Integer.toString(c) : c + "x" + h + "x" + w;
    }

    private IllegalArgumentException error(String token, int index, String why) {
        return new IllegalArgumentException("Network '" + spec + "', token " + (index + 1) + " '" + token + "': "
                + why);
    }

    private int positive(String digits, String token, int index) {
        try {
            int v = Integer.parseInt(digits);
            if (v < 1) {
                throw error(token, index, "sizes must be positive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(token, index, "the number " + digits + " is too large");
        }
    }

    private static long multiplyAccumulates(Layer l) {
        if (l instanceof Conv2DLayer) {
            return ((Conv2DLayer) l).multiplyAccumulates();
        } else if (l instanceof ConvTranspose2DLayer) {
            return ((ConvTranspose2DLayer) l).multiplyAccumulates();
        } else if (l instanceof DenseLayer) {
            return (long) l.inputSize() * l.outputSize();
        }
        return 0;
    }

    /**
     * Fresh, unbound layers of this architecture (for a new network).
     * @return The layers in order.
     */
    public List<Layer> newLayers() {
        return build(new ArrayList<>());
    }

    /**
     * A new network with zeroed parameters.
     * @return The network.
     */
    public SequentialNetwork newNetwork() {
        return new SequentialNetwork(this::newLayers);
    }

    /**
     * The specification string (lower case, trimmed).
     * @return The string.
     */
    public String spec() {
        return spec;
    }

    /**
     * Input channels.
     * @return C.
     */
    public int channels() {
        return channels;
    }

    /**
     * Input height.
     * @return H.
     */
    public int height() {
        return height;
    }

    /**
     * Input width.
     * @return W.
     */
    public int width() {
        return width;
    }

    /**
     * Input size per example, {@code C·H·W}.
     * @return The input width.
     */
    public int inputSize() {
        return channels * height * width;
    }

    /**
     * Output size per example.
     * @return The output width.
     */
    public int outputSize() {
        return outputSize;
    }

    /**
     * The hidden activation.
     * @return The activation.
     */
    public Activation hiddenActivation() {
        return hiddenActivation;
    }

    /**
     * The activation after the last convolution or dense layer.
     * @return The activation.
     */
    public Activation outputActivation() {
        return outputActivation;
    }

    /**
     * The number of trainable parameters.
     * @return The count.
     */
    public int numParameters() {
        return numParameters;
    }

    /**
     * Multiply-accumulates of one example's forward pass (convolutions, transposed convolutions and dense layers).
     * @return The count.
     */
    public long multiplyAccumulates() {
        return multiplyAccumulates;
    }

    /**
     * Floating-point operations of one forward pass, counted as {@code 2 ×} {@link #multiplyAccumulates()} (one
     * multiply and one add each; activations, pooling and biases are not counted).
     * @return The count.
     */
    public long flops() {
        return 2 * multiplyAccumulates;
    }

    /**
     * The shape after every token, e.g. {@code ["1x28x28", "c16 -> 16x28x28", ...]}.
     * @return An unmodifiable list.
     */
    public List<String> shapes() {
        return shapes;
    }

    @Override
    public String toString() {
        return "ConvNetSpec(" + spec + " on " + channels + "x" + height + "x" + width + ", " + numParameters
                + " parameters, " + flops() + " FLOPs)";
    }
}
