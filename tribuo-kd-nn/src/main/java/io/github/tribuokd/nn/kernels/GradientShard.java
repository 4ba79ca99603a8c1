package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.MinibatchTraining;

/**
 * One shard of a minibatch for {@link MinibatchTraining}: a forward and backward pass over some of the batch's
 * rows into the shard's own gradient buffer. Each shard owns its scratch memory, so shards can run on different
 * threads; the trainer adds their gradients in shard order.
 */
public interface GradientShard {

    /**
     * Runs rows {@code order[from..to)} of a minibatch of {@code batchSize} rows: overwrites {@link #gradients()}
     * with the gradient of (this shard's summed loss) / (the whole batch's element count), so that the shards'
     * gradients add up to the gradient of the batch's mean loss.
     * @param order Example indices (the epoch's shuffled order).
     * @param from First position in {@code order}.
     * @param to One past the last position.
     * @param batchSize The whole minibatch's size.
     * @return This shard's summed (not averaged) loss.
     */
    double compute(int[] order, int from, int to, int batchSize);

    /**
     * The gradient buffer written by {@link #compute}, with the layout of the model's parameter buffer.
     * @return The buffer (live).
     */
    float[] gradients();
}
