package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.SequentialNetwork;

import java.util.Arrays;

/**
 * One {@link GradientShard} of a {@link SequentialNetwork}: gathers its rows of the minibatch, runs forward, the
 * loss and backward into its own gradient buffer.
 * <p>
 * With {@code targets == null} the network is an autoencoder and its target is its input. After every
 * {@link #compute} the loss of each row (mean over the row's output elements, before any update) is available from
 * {@link #rowLosses()}: for an autoencoder with MSE this is the row's anomaly score {@code S_i} of seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), which
 * co-learning hands to the students as their target without a second forward pass.
 */
public final class SequentialShard implements GradientShard {

    private final SequentialNetwork network;
    private final LossFunction lossFunction;
    private final SequentialNetwork.Workspace ws;
    private final float[] x;
    private final float[] y;
    private final float[] dOut;
    private final float[] grads;
    private final float[] rowLosses;
    private float[] inputs;
    private float[] targets;
    private int rows;

    /**
     * Creates a shard.
     * @param network The network.
     * @param inputs {@code [n, inputSize]} row-major, read by example index.
     * @param targets {@code [n, outputSize]} row-major, or null for an autoencoder (target = input).
     * @param lossFunction The loss.
     * @param capacity The most rows one {@link #compute} call handles.
     */
    public SequentialShard(SequentialNetwork network, float[] inputs, float[] targets, LossFunction lossFunction,
                           int capacity) {
        if (targets == null && network.inputSize() != network.outputSize()) {
            throw new IllegalArgumentException("An autoencoder shard needs equal input and output sizes, found "
                    + network.inputSize() + " and " + network.outputSize());
        }
        this.network = network;
        this.lossFunction = lossFunction;
        this.inputs = inputs;
        this.targets = targets;
        ws = network.newWorkspace(capacity);
        x = new float[capacity * network.inputSize()];
        y = targets == null ? null : new float[capacity * network.outputSize()];
        dOut = new float[capacity * network.outputSize()];
        grads = new float[network.numParameters()];
        rowLosses = new float[capacity];
    }

    /**
     * Points the shard at other data of the same widths (e.g. co-learning's per-step targets).
     * @param newInputs {@code [n, inputSize]}.
     * @param newTargets {@code [n, outputSize]}, or null when this is an autoencoder shard.
     */
    public void setData(float[] newInputs, float[] newTargets) {
        if ((newTargets == null) != (targets == null)) {
            throw new IllegalArgumentException("An autoencoder shard stays an autoencoder shard and vice versa");
        }
        this.inputs = newInputs;
        this.targets = newTargets;
    }

    @Override
    public float[] gradients() {
        return grads;
    }

    /**
     * The mean loss of each row of the last {@link #compute} call, in the order of its rows.
     * @return The live buffer; the first {@link #rows()} entries are valid.
     */
    public float[] rowLosses() {
        return rowLosses;
    }

    /**
     * The number of rows of the last {@link #compute} call.
     * @return The row count.
     */
    public int rows() {
        return rows;
    }

    @Override
    public double compute(int[] order, int from, int to, int batchSize) {
        Arrays.fill(grads, 0f);
        rows = to - from;
        if (rows == 0) {
            return 0.0;
        }
        int in = network.inputSize();
        int out = network.outputSize();
        for (int r = 0; r < rows; r++) {
            int idx = order[from + r];
            System.arraycopy(inputs, idx * in, x, r * in, in);
            if (targets != null) {
                System.arraycopy(targets, idx * out, y, r * out, out);
            }
        }
        float[] target = targets == null ? x : y;
        float[] pred = network.forward(x, rows, ws);
        double loss = lossFunction.lossAndGradient(pred, target, dOut, rows * out, batchSize * out);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            int o = r * out;
            for (int j = 0; j < out; j++) {
                float d = pred[o + j] - target[o + j];
                s += lossFunction == LossFunction.MSE ? (double) d * d : Math.abs(d);
            }
            rowLosses[r] = (float) (s / out);
        }
        network.backward(dOut, rows, ws, grads, false);
        return loss;
    }
}
