package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.GradientShard;
import io.github.tribuokd.nn.kernels.Lanes;

import java.util.function.IntFunction;

/**
 * The gradient of a minibatch computed in {@link MinibatchTraining#SHARDS} fixed shards and added in shard order.
 * <p>
 * Shard {@code s} of a batch of {@code size} rows covers its rows {@code [size·s/SHARDS, size·(s+1)/SHARDS)},
 * always the same way; each shard's forward and backward pass writes its own gradient buffer, and the buffers are
 * added in shard order (shard 0, then shard 1, ...), as are the shards' losses. Threads ({@link Lanes}) only decide
 * which shards run at the same time, so the gradient is bit-identical on any number of threads.
 * @param <S> The shard type.
 */
public final class ShardedGradient<S extends GradientShard> {

    private final GradientShard[] shards;
    private final float[] grads;
    private final double[] shardLoss = new double[MinibatchTraining.SHARDS];

    /**
     * Creates the shards.
     * @param factory Makes a shard able to hold the given number of rows.
     * @param maxBatch The largest batch (each shard holds a {@code 1/SHARDS} share of it, rounded up).
     * @param numParameters The number of parameters.
     */
    public ShardedGradient(IntFunction<S> factory, int maxBatch, int numParameters) {
        int capacity = Math.max(1, (maxBatch + MinibatchTraining.SHARDS - 1) / MinibatchTraining.SHARDS);
        shards = new GradientShard[MinibatchTraining.SHARDS];
        for (int s = 0; s < shards.length; s++) {
            shards[s] = factory.apply(capacity);
        }
        grads = new float[numParameters];
    }

    /**
     * Computes the gradient of the batch {@code order[first .. first + size)} and adds the shards' losses to
     * {@code loss} in shard order.
     * @param lanes The threads.
     * @param order The example order.
     * @param first The batch's first position in {@code order}.
     * @param size The batch size.
     * @param loss The epoch's loss sum.
     * @return The summed gradient (a buffer reused by the next call).
     */
    public float[] compute(Lanes lanes, int[] order, int first, int size, EpochLoop.Loss loss) {
        lanes.run(shards.length, s -> {
            int from = first + (int) ((long) size * s / shards.length);
            int to = first + (int) ((long) size * (s + 1) / shards.length);
            return shards[s].compute(order, from, to, size);
        }, shardLoss);
        System.arraycopy(shards[0].gradients(), 0, grads, 0, grads.length);
        loss.add(shardLoss[0]);
        for (int s = 1; s < shards.length; s++) {
            float[] g = shards[s].gradients();
            for (int i = 0; i < grads.length; i++) {
                grads[i] += g[i];
            }
            loss.add(shardLoss[s]);
        }
        return grads;
    }

    /**
     * A shard, after {@link #compute}: its rows' state (e.g. per-row losses).
     * @param s The shard index.
     * @return The shard.
     */
    @SuppressWarnings("unchecked")
    public S shard(int s) {
        return (S) shards[s];
    }

    /**
     * The number of shards.
     * @return {@link MinibatchTraining#SHARDS}.
     */
    public int numShards() {
        return shards.length;
    }
}
