package io.github.tribuokd.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stack of {@link DenseLayer}s, each followed by an {@link ActivationLayer}, with all parameters in one flat
 * float32 buffer.
 * <p>
 * Sizes {@code [d0, d1, ..., dk]} give k dense layers {@code d(i) -> d(i+1)}; the hidden layers use
 * {@code hiddenActivation} and the last one {@code outputActivation}. The network holds parameters only;
 * per-call scratch memory lives in a {@link Workspace}, so one network can be used by several threads, each with
 * its own workspace, and scoring allocates nothing per example.
 */
public final class FeedForwardNetwork implements FlatParameters {

    private final int[] sizes;
    private final Activation hiddenActivation;
    private final Activation outputActivation;
    private final List<Layer> layers;
    private final float[] parameters;

    /**
     * Creates a network with zeroed parameters; call {@link #initialise(SplittableRandom)} or
     * {@link #setParameters(float[])}.
     * @param sizes The layer widths, input first, at least two entries.
     * @param hiddenActivation The activation after every dense layer but the last.
     * @param outputActivation The activation after the last dense layer.
     */
    public FeedForwardNetwork(int[] sizes, Activation hiddenActivation, Activation outputActivation) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("A network needs at least an input and an output size, found "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("Layer sizes must be positive, found " + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        this.hiddenActivation = hiddenActivation;
        this.outputActivation = outputActivation;
        List<Layer> list = new ArrayList<>();
        int total = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            Activation act = i + 2 == sizes.length ? outputActivation : hiddenActivation;
            DenseLayer dense = new DenseLayer(sizes[i], sizes[i + 1], act);
            list.add(dense);
            total += dense.numParameters();
            list.add(new ActivationLayer(sizes[i + 1], act));
        }
        this.layers = Collections.unmodifiableList(list);
        this.parameters = new float[total];
        int offset = 0;
        for (Layer l : layers) {
            l.bind(parameters, offset);
            offset += l.numParameters();
        }
    }

    /**
     * A deep copy (parameters included).
     * @return A new network with the same architecture and parameters.
     */
    public FeedForwardNetwork copy() {
        FeedForwardNetwork c = new FeedForwardNetwork(sizes, hiddenActivation, outputActivation);
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
     * The layer widths, input first.
     * @return A copy of the sizes.
     */
    public int[] sizes() {
        return sizes.clone();
    }

    /**
     * Input width.
     * @return The number of input features.
     */
    public int inputSize() {
        return sizes[0];
    }

    /**
     * Output width.
     * @return The number of outputs.
     */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /**
     * The activation between hidden layers.
     * @return The hidden activation.
     */
    public Activation hiddenActivation() {
        return hiddenActivation;
    }

    /**
     * The activation after the last layer.
     * @return The output activation.
     */
    public Activation outputActivation() {
        return outputActivation;
    }

    /**
     * The layers in order: dense, activation, dense, activation, ...
     * @return An unmodifiable list.
     */
    public List<Layer> layers() {
        return layers;
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
        ws.checkCapacity(batch);
        float[] x = input;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(x, ws.activations[i], batch);
            x = ws.activations[i];
        }
        ws.input = input;
        return x;
    }

    /**
     * Inference on rows {@code [offset/inputSize(), …)} of a larger row-major matrix, without copying them (the
     * first layer is dense and reads at the offset). Not for training: {@link #backward} needs {@link #forward}.
     * @param input The matrix.
     * @param offset The first element of the first row.
     * @param batch The number of rows.
     * @param ws Scratch memory.
     * @return The output {@code [batch, outputSize()]}, a workspace view.
     */
    public float[] infer(float[] input, int offset, int batch, Workspace ws) {
        ws.checkCapacity(batch);
        ((DenseLayer) layers.get(0)).forward(input, offset, ws.activations[0], batch);
        float[] x = ws.activations[0];
        for (int i = 1; i < layers.size(); i++) {
            layers.get(i).forward(x, ws.activations[i], batch);
            x = ws.activations[i];
        }
        ws.input = null;
        return x;
    }

    /**
     * The backward pass of the last {@link #forward} call on this workspace.
     * @param outputGradient dLoss/dOutput {@code [batch, outputSize()]}.
     * @param batch The number of examples of the forward call.
     * @param ws The workspace of the forward call.
     * @param gradients Accumulates dLoss/dParameters (layout of {@link #parameters()}).
     * @param needInputGradient Whether to compute dLoss/dInput.
     * @return dLoss/dInput {@code [batch, inputSize()]} (a workspace view) or {@code null}.
     */
    public float[] backward(float[] outputGradient, int batch, Workspace ws, float[] gradients,
                            boolean needInputGradient) {
        float[] dy = outputGradient;
        for (int i = layers.size() - 1; i >= 0; i--) {
            float[] in = i == 0 ? ws.input : ws.activations[i - 1];
            float[] dx = (i == 0 && !needInputGradient) ? null : ws.gradients[i];
            layers.get(i).backward(in, ws.activations[i], dy, dx, gradients, batch);
            dy = dx;
        }
        return dy;
    }

    /**
     * The number of dense layers ({@code sizes().length − 1}).
     * @return The count.
     */
    public int numDenseLayers() {
        return sizes.length - 1;
    }

    /**
     * The forward pass of the first {@code denseLayers} dense layers and their activations only: the intermediate
     * features of a network whose upper layers are not needed (e.g. an autoencoder's encoder). Afterwards
     * {@link #layerOutput} gives each computed layer's output and {@link #backwardFrom} back-propagates from them.
     * @param input {@code [batch, inputSize()]}.
     * @param batch The number of examples.
     * @param ws Scratch memory.
     * @param denseLayers How many dense layers to run, in {@code [1, numDenseLayers()]}.
     */
    // input [B, d0] -> dense 0 -> act -> ... -> dense (denseLayers − 1) -> act -> [B, d(denseLayers)]
    public void forwardTo(float[] input, int batch, Workspace ws, int denseLayers) {
        if (denseLayers < 1 || denseLayers > numDenseLayers()) {
            throw new IllegalArgumentException("denseLayers must be in [1, " + numDenseLayers() + "], found "
                    + denseLayers);
        }
        ws.checkCapacity(batch);
        float[] x = input;
        for (int i = 0; i < 2 * denseLayers; i++) {
            layers.get(i).forward(x, ws.activations[i], batch);
            x = ws.activations[i];
        }
        ws.input = input;
    }

    /**
     * The output of dense layer {@code k} after its activation, from the last forward call on this workspace
     * ({@link #forward}, {@link #infer} or {@link #forwardTo} reaching that layer).
     * @param denseLayer The dense layer's index {@code k}, from 0.
     * @param ws The workspace.
     * @return {@code [batch, sizes()[k + 1]]}: a workspace view, valid until its next use.
     */
    public float[] layerOutput(int denseLayer, Workspace ws) {
        if (denseLayer < 0 || denseLayer >= numDenseLayers()) {
            throw new IllegalArgumentException("Dense layer " + denseLayer + " is not in [0, " + numDenseLayers()
                    + ")");
        }
        return ws.activations[2 * denseLayer + 1];
    }

    /**
     * The backward pass of a loss that reads several layers' outputs (after their activations): the gradient
     * injected at each of them is added to the gradient flowing down from above, and the sum is back-propagated, so
     * the parameter gradient is the sum over every injection's path. Layers above the highest injection get no
     * gradient. Needs a {@link #forward} or {@link #forwardTo} call on this workspace reaching that layer.
     * @param injected dLoss/dOutput of dense layer {@code denseLayers[m]} is {@code injected[m]}
     *                 {@code [batch, sizes()[denseLayers[m] + 1]]}; not modified.
     * @param denseLayers The dense layers' indices, distinct, in any order.
     * @param batch The number of examples of the forward call.
     * @param ws The workspace of the forward call.
     * @param gradients Accumulates dLoss/dParameters (layout of {@link #parameters()}).
     * @param needInputGradient Whether to compute dLoss/dInput.
     * @return dLoss/dInput {@code [batch, inputSize()]} (a workspace view) or {@code null}.
     */
    // for i = top .. 0: dY_i = (gradient from layer i + 1) + injected_i ; layer i backward(dY_i) -> dX_i
    public float[] backwardFrom(float[][] injected, int[] denseLayers, int batch, Workspace ws, float[] gradients,
                                boolean needInputGradient) {
        if (injected == null || denseLayers == null || injected.length != denseLayers.length
                || denseLayers.length == 0) {
            throw new IllegalArgumentException("One injected gradient per dense layer index is needed");
        }
        if (ws.input == null) {
            throw new IllegalStateException("backwardFrom needs forward or forwardTo on this workspace (infer keeps "
                    + "no input)");
        }
        int[] slot = new int[numDenseLayers()];
        Arrays.fill(slot, -1);
        int top = -1;
        for (int m = 0; m < denseLayers.length; m++) {
            int k = denseLayers[m];
            if (k < 0 || k >= numDenseLayers() || slot[k] >= 0) {
                throw new IllegalArgumentException("Dense layer indices must be distinct and in [0, "
                        + numDenseLayers() + "), found " + Arrays.toString(denseLayers));
            }
            slot[k] = m;
            top = Math.max(top, k);
        }
        float[] dy = null;
        for (int i = 2 * top + 1; i >= 0; i--) {
            if (i % 2 == 1 && slot[i / 2] >= 0) {
                float[] g = injected[slot[i / 2]];
                if (dy == null) {
                    dy = g;
                } else {
                    // dy is the workspace's dInput of layer i + 1: add the injection in place
                    int n = batch * layers.get(i).outputSize();
                    for (int j = 0; j < n; j++) {
                        dy[j] += g[j];
                    }
                }
            }
            float[] in = i == 0 ? ws.input : ws.activations[i - 1];
            float[] dx = (i == 0 && !needInputGradient) ? null : ws.gradients[i];
            layers.get(i).backward(in, ws.activations[i], dy, dx, gradients, batch);
            dy = dx;
        }
        return dy;
    }

    /**
     * Per-thread scratch memory of a network: the output of every layer and the gradient with respect to every
     * layer's input, for a batch of up to {@link #capacity()} examples.
     */
    public static final class Workspace {
        private final int capacity;
        private final float[][] activations;
        private final float[][] gradients;
        private float[] input;

        private Workspace(FeedForwardNetwork net, int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("Workspace capacity must be positive, found " + capacity);
            }
            this.capacity = capacity;
            int n = net.layers.size();
            activations = new float[n][];
            gradients = new float[n][];
            for (int i = 0; i < n; i++) {
                Layer l = net.layers.get(i);
                activations[i] = new float[capacity * l.outputSize()];
                gradients[i] = new float[capacity * l.inputSize()];
            }
        }

        /**
         * The largest batch this workspace serves.
         * @return The capacity.
         */
        public int capacity() {
            return capacity;
        }

        private void checkCapacity(int batch) {
            if (batch < 1 || batch > capacity) {
                throw new IllegalArgumentException("Batch of " + batch + " does not fit a workspace of capacity "
                        + capacity);
            }
        }
    }
}
