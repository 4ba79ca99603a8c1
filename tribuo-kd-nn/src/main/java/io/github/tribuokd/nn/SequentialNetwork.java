package io.github.tribuokd.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A general stack of {@link Layer}s (dense, activation, convolution, pooling, upsampling, …) with all parameters in
 * one flat float32 buffer, each layer's slice following the previous one's in layer order.
 * <p>
 * The network is built from a {@link Supplier} of its layers rather than from a list, so that {@link #copy()} can
 * make a second network with layers of its own (a layer is bound to one parameter buffer): the supplier must
 * return new, unbound layers on every call. Consecutive layers must agree on sizes (each layer's
 * {@link Layer#inputSize()} equals the previous {@link Layer#outputSize()}).
 * <p>
 * As in {@link FeedForwardNetwork}, the network holds parameters only; per-call memory lives in a
 * {@link Workspace}, so one network can serve several threads, each with its own workspace, and forward and
 * backward allocate nothing per call (the layers' own scratch, such as {@link Conv2DLayer}'s im2col buffers, is
 * per thread).
 */
public final class SequentialNetwork implements FlatParameters {

    private final Supplier<List<Layer>> architecture;
    private final List<Layer> layers;
    private final float[] parameters;

    /**
     * Creates a network with zeroed parameters; call {@link #initialise(SplittableRandom)} or
     * {@link #setParameters(float[])}.
     * @param architecture Makes the layers, input first; called once here and once per {@link #copy()}, and must
     *                     return new layer instances each time.
     */
    public SequentialNetwork(Supplier<List<Layer>> architecture) {
        if (architecture == null) {
            throw new IllegalArgumentException("The architecture supplier is null");
        }
        List<Layer> list = architecture.get();
        if (list == null || list.isEmpty()) {
            throw new IllegalArgumentException("A network needs at least one layer");
        }
        Map<Layer, Integer> seen = new IdentityHashMap<>();
        long total = 0;
        for (int i = 0; i < list.size(); i++) {
            Layer l = list.get(i);
            if (l == null) {
                throw new IllegalArgumentException("Layer " + i + " is null");
            }
            Integer before = seen.put(l, i);
            if (before != null) {
                throw new IllegalArgumentException("Layer " + i + " is the same instance as layer " + before
                        + "; every position needs a layer of its own");
            }
            if (i > 0 && l.inputSize() != list.get(i - 1).outputSize()) {
                throw new IllegalArgumentException("Layer " + i + " (" + l.getClass().getSimpleName() + ") expects "
                        + l.inputSize() + " inputs per example but layer " + (i - 1) + " ("
                        + list.get(i - 1).getClass().getSimpleName() + ") outputs " + list.get(i - 1).outputSize());
            }
            total += l.numParameters();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Too many parameters for one float[]: " + total);
        }
        this.architecture = architecture;
        this.layers = Collections.unmodifiableList(new ArrayList<>(list));
        this.parameters = new float[(int) total];
        int offset = 0;
        for (Layer l : layers) {
            l.bind(parameters, offset);
            offset += l.numParameters();
        }
    }

    /**
     * A deep copy (parameters included), with layers made by a new call of the architecture supplier.
     * @return A new network with the same architecture and parameters.
     * @throws IllegalStateException If the supplier returned one of this network's layers or a different
     *                               architecture.
     */
    public SequentialNetwork copy() {
        SequentialNetwork c = new SequentialNetwork(architecture);
        if (c.layers.size() != layers.size() || c.parameters.length != parameters.length) {
            throw new IllegalStateException("The architecture supplier returned a different network on its second "
                    + "call: " + c.layers.size() + " layers and " + c.parameters.length + " parameters, expected "
                    + layers.size() + " and " + parameters.length);
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer mine = layers.get(i), theirs = c.layers.get(i);
            if (mine == theirs) {
                throw new IllegalStateException("The architecture supplier returned layer " + i + " again; it must "
                        + "create new layers on every call");
            }
            if (mine.getClass() != theirs.getClass() || mine.inputSize() != theirs.inputSize()
                    || mine.outputSize() != theirs.outputSize() || mine.numParameters() != theirs.numParameters()) {
                throw new IllegalStateException("The architecture supplier returned a different layer " + i
                        + " on its second call");
            }
        }
        System.arraycopy(parameters, 0, c.parameters, 0, parameters.length);
        return c;
    }

    /**
     * Initialises every layer from the random source, in layer order.
     * @param rng The random source.
     */
    public void initialise(SplittableRandom rng) {
        for (Layer l : layers) {
            l.initialise(rng);
        }
    }

    /**
     * The layers in order.
     * @return An unmodifiable list.
     */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * Input width.
     * @return The number of input features per example (the first layer's input size).
     */
    public int inputSize() {
        return layers.get(0).inputSize();
    }

    /**
     * Output width.
     * @return The number of outputs per example (the last layer's output size).
     */
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /**
     * Multiply-accumulates of one example's forward pass: {@code in·out} per {@link DenseLayer} plus
     * {@link Conv2DLayer#multiplyAccumulates()} per convolution and
     * {@link ConvTranspose2DLayer#multiplyAccumulates()} per transposed convolution (biases, activations, pooling
     * and upsampling are not counted). A forward plus backward pass is about {@code 3×} this.
     * @return The count.
     */
    public long multiplyAccumulates() {
        long macs = 0;
        for (Layer l : layers) {
            if (l instanceof DenseLayer) {
                macs += (long) l.inputSize() * l.outputSize();
            } else if (l instanceof Conv2DLayer) {
                macs += ((Conv2DLayer) l).multiplyAccumulates();
            } else if (l instanceof ConvTranspose2DLayer) {
                macs += ((ConvTranspose2DLayer) l).multiplyAccumulates();
            }
        }
        return macs;
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
     * Allocates scratch memory for batches of up to {@code maxBatch} examples.
     * @param maxBatch The largest batch this workspace serves.
     * @return A new workspace.
     */
    public Workspace newWorkspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    /**
     * The forward pass.
     * @param input {@code [batch, inputSize()]}.
     * @param batch The number of examples (at most the workspace's capacity).
     * @param ws Scratch memory.
     * @return The output {@code [batch, outputSize()]}: a view into the workspace, valid until its next use.
     */
    public float[] forward(float[] input, int batch, Workspace ws) {
        return forward(input, batch, ws, null);
    }

    /**
     * The forward pass in training form: {@link DropoutLayer}s drop units with the masks of the rows' keys (the
     * matching {@link #backward} uses the same masks); with {@code rowKeys == null} this is {@link #forward(float[],
     * int, Workspace)}, where dropout is the identity.
     * @param input {@code [batch, inputSize()]}.
     * @param batch The number of examples (at most the workspace's capacity).
     * @param ws Scratch memory.
     * @param rowKeys {@code [batch]} the rows' dropout keys (read until the matching backward), or null.
     * @return The output {@code [batch, outputSize()]}: a view into the workspace, valid until its next use.
     */
    public float[] forward(float[] input, int batch, Workspace ws, long[] rowKeys) {
        ws.check(this, batch);
        if (rowKeys != null && rowKeys.length < batch) {
            throw new IllegalArgumentException("Need " + batch + " row keys, found " + rowKeys.length);
        }
        float[] x = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (rowKeys != null && l instanceof DropoutLayer) {
                ((DropoutLayer) l).forward(x, ws.activations[i], batch, rowKeys);
            } else {
                l.forward(x, ws.activations[i], batch);
            }
            x = ws.activations[i];
        }
        ws.input = input;
        ws.rowKeys = rowKeys;
        return x;
    }

    /**
     * Inference on rows {@code [offset/inputSize(), …)} of a larger row-major matrix. A first {@link DenseLayer},
     * {@link Conv2DLayer} or {@link ConvTranspose2DLayer} reads the rows in place; any other first layer gets them
     * copied into the workspace (no allocation). Not for training: {@link #backward} needs {@link #forward}.
     * @param input The matrix.
     * @param offset The first element of the first row.
     * @param batch The number of rows.
     * @param ws Scratch memory.
     * @return The output {@code [batch, outputSize()]}, a workspace view.
     */
    public float[] infer(float[] input, int offset, int batch, Workspace ws) {
        ws.check(this, batch);
        Layer first = layers.get(0);
        if (first instanceof DenseLayer) {
            ((DenseLayer) first).forward(input, offset, ws.activations[0], batch);
        } else if (first instanceof Conv2DLayer) {
            ((Conv2DLayer) first).forward(input, offset, ws.activations[0], batch);
        } else if (first instanceof ConvTranspose2DLayer) {
            ((ConvTranspose2DLayer) first).forward(input, offset, ws.activations[0], batch);
        } else if (offset == 0) {
            first.forward(input, ws.activations[0], batch);
        } else {
            System.arraycopy(input, offset, ws.inputCopy, 0, batch * first.inputSize());
            first.forward(ws.inputCopy, ws.activations[0], batch);
        }
        float[] x = ws.activations[0];
        for (int i = 1; i < layers.size(); i++) {
            layers.get(i).forward(x, ws.activations[i], batch);
            x = ws.activations[i];
        }
        ws.input = null;
        ws.rowKeys = null;
        return x;
    }

    /**
     * The backward pass of the last {@link #forward} call on this workspace.
     * @param outputGradient dLoss/dOutput {@code [batch, outputSize()]}.
     * @param batch The number of examples of the forward call.
     * @param ws The workspace of the forward call.
     * @param gradients Accumulates dLoss/dParameters (layout of {@link #parameters()}).
     * @param needInputGradient Whether to compute dLoss/dInput.
     * @return dLoss/dInput {@code [batch, inputSize()]} (a workspace view, valid until its next use) or
     *         {@code null}.
     */
    public float[] backward(float[] outputGradient, int batch, Workspace ws, float[] gradients,
                            boolean needInputGradient) {
        ws.check(this, batch);
        if (ws.input == null) {
            throw new IllegalStateException("backward needs a forward call on this workspace (infer keeps no input)");
        }
        if (gradients.length != parameters.length) {
            throw new IllegalArgumentException("Expected a gradient buffer of " + parameters.length + " floats, found "
                    + gradients.length);
        }
        ws.ensureGradientBuffers();
        float[] dy = outputGradient;
        for (int i = layers.size() - 1; i >= 0; i--) {
            float[] in = i == 0 ? ws.input : ws.activations[i - 1];
            // ping-pong: layer i writes dX into the buffer that its dY does not occupy
            float[] dx = (i == 0 && !needInputGradient) ? null : ws.gradients[i & 1];
            Layer l = layers.get(i);
            if (ws.rowKeys != null && l instanceof DropoutLayer) {
                ((DropoutLayer) l).backward(dy, dx, batch, ws.rowKeys);
            } else {
                l.backward(in, ws.activations[i], dy, dx, gradients, batch);
            }
            dy = dx;
        }
        return dy;
    }

    /**
     * Per-thread scratch memory of a network (usable by its copies too): the output of every layer, for a batch of
     * up to {@link #capacity()} examples, and two gradient buffers used in turn by the backward pass (allocated on
     * its first use, so that scoring-only workspaces do not hold them).
     */
    public static final class Workspace {
        private final int[] outputSizes;
        private final int capacity;
        private final int widestInput;
        private final float[][] activations;
        private final float[][] gradients;
        private final float[] inputCopy;
        private float[] input;
        private long[] rowKeys;

        private Workspace(SequentialNetwork net, int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("Workspace capacity must be positive, found " + capacity);
            }
            this.capacity = capacity;
            int n = net.layers.size();
            outputSizes = new int[n];
            activations = new float[n][];
            int widest = 0;
            for (int i = 0; i < n; i++) {
                Layer l = net.layers.get(i);
                outputSizes[i] = l.outputSize();
                activations[i] = new float[Math.multiplyExact(capacity, l.outputSize())];
                widest = Math.max(widest, l.inputSize());
            }
            widestInput = widest;
            gradients = new float[2][];
            Layer first = net.layers.get(0);
            inputCopy = first instanceof DenseLayer || first instanceof Conv2DLayer
                    || first instanceof ConvTranspose2DLayer ? null
                    : new float[Math.multiplyExact(capacity, first.inputSize())];
        }

        /**
         * The largest batch this workspace serves.
         * @return The capacity.
         */
        public int capacity() {
            return capacity;
        }

        private void ensureGradientBuffers() {
            if (gradients[0] == null) {
                gradients[0] = new float[Math.multiplyExact(capacity, widestInput)];
                gradients[1] = new float[Math.multiplyExact(capacity, widestInput)];
            }
        }

        /** Batch within capacity, and a workspace made for this architecture (by this network or a copy). */
        private void check(SequentialNetwork net, int batch) {
            if (outputSizes.length != net.layers.size()) {
                throw new IllegalArgumentException("This workspace belongs to a network of " + outputSizes.length
                        + " layers, not " + net.layers.size());
            }
            for (int i = 0; i < outputSizes.length; i++) {
                if (outputSizes[i] != net.layers.get(i).outputSize()) {
                    throw new IllegalArgumentException("This workspace belongs to a network of another architecture "
                            + "(layer " + i + ")");
                }
            }
            if (batch < 1 || batch > capacity) {
                throw new IllegalArgumentException("Batch of " + batch + " does not fit a workspace of capacity "
                        + capacity);
            }
        }
    }
}
