package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Single-thread throughput of forward + backward of a convolutional autoencoder on batches of 50 MNIST-sized
 * images (not a test). Run on the test classpath:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *       io.github.tribuokd.nn.ConvBenchmark [seconds] [--layers]
 * </pre>
 * GFLOP/s counts {@code 2 · MACs · 3} per example (forward, dW and dX products); activations, pooling, upsampling
 * and im2col are not counted but are in the time. {@code --layers} also prints the time of each layer.
 */
public final class ConvBenchmark {

    private static final int BATCH = 50;

    private ConvBenchmark() { }

    /**
     * The teacher: 28×28×1 → conv3×3 16 → conv 16 → pool → conv 16 → conv 12 → pool → conv 4 → dense 20 → dense 196
     * → conv 12 → up → conv 16 → conv 16 → up → conv 16 → conv 1. All convolutions 3×3, same padding; ReLU after
     * every hidden layer, sigmoid at the end.
     * @return The layers.
     */
    static List<Layer> teacher() {
        List<Layer> l = new ArrayList<>();
        conv(l, 1, 28, 16, Activation.RELU);
        conv(l, 16, 28, 16, Activation.RELU);
        l.add(new AvgPool2DLayer(16, 28, 28, 2));
        conv(l, 16, 14, 16, Activation.RELU);
        conv(l, 16, 14, 12, Activation.RELU);
        l.add(new AvgPool2DLayer(12, 14, 14, 2));
        conv(l, 12, 7, 4, Activation.RELU);
        l.add(new DenseLayer(196, 20, Activation.RELU));
        l.add(new ActivationLayer(20, Activation.RELU));
        l.add(new DenseLayer(20, 196, Activation.RELU));
        l.add(new ActivationLayer(196, Activation.RELU));
        conv(l, 4, 7, 12, Activation.RELU);
        l.add(new Upsample2DLayer(12, 7, 7, 2));
        conv(l, 12, 14, 16, Activation.RELU);
        conv(l, 16, 14, 16, Activation.RELU);
        l.add(new Upsample2DLayer(16, 14, 14, 2));
        conv(l, 16, 28, 16, Activation.RELU);
        conv(l, 16, 28, 1, Activation.SIGMOID);
        return l;
    }

    private static void conv(List<Layer> l, int cin, int side, int cout, Activation act) {
        l.add(new Conv2DLayer(cin, side, side, cout, 3, true, act));
        l.add(new ActivationLayer(cout * side * side, act));
    }

    /**
     * Runs the benchmark.
     * @param args Optional seconds to measure (default 10), and {@code --layers} for a per-layer profile.
     */
    public static void main(String[] args) {
        double seconds = 10;
        boolean perLayer = false;
        for (String a : args) {
            if (a.equals("--layers")) {
                perLayer = true;
            } else {
                seconds = Double.parseDouble(a);
            }
        }
        SequentialNetwork net = new SequentialNetwork(ConvBenchmark::teacher);
        net.initialise(new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = new float[BATCH * net.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        SequentialNetwork.Workspace ws = net.newWorkspace(BATCH);
        float[] grads = new float[net.numParameters()];
        float[] dy = new float[BATCH * net.outputSize()];
        long macs = net.multiplyAccumulates();
        double flopsPerBatch = 2.0 * macs * 3 * BATCH;
        System.out.printf("kernels %s, %d parameters, %.2f M MACs per example, %.1f MFLOP per batch of %d%n",
                Kernels.get().name(), net.numParameters(), macs / 1e6, flopsPerBatch / 1e6, BATCH);

        // warm up (JIT), then measure
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            step(net, x, dy, ws, grads);
        }
        int iters = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        long now;
        do {
            step(net, x, dy, ws, grads);
            iters++;
            now = System.nanoTime();
        } while (now < end);
        double perBatch = (now - t0) / 1e9 / iters;
        System.out.printf("forward+backward: %.2f ms per batch, %.0f images/s, %.2f GFLOP/s (%d batches)%n",
                perBatch * 1e3, BATCH / perBatch, flopsPerBatch / perBatch / 1e9, iters);

        if (perLayer) {
            profile(net, x, dy, ws, grads);
        }
    }

    private static void step(SequentialNetwork net, float[] x, float[] dy, SequentialNetwork.Workspace ws,
                             float[] grads) {
        float[] y = net.forward(x, BATCH, ws);
        for (int i = 0; i < dy.length; i++) {
            dy[i] = y[i] - x[i];
        }
        net.backward(dy, BATCH, ws, grads, false);
    }

    /** Times every layer's forward and backward alone, on buffers of its own. */
    private static void profile(SequentialNetwork net, float[] x, float[] dy, SequentialNetwork.Workspace ws,
                                float[] grads) {
        List<Layer> layers = net.layers();
        float[][] acts = new float[layers.size() + 1][];
        acts[0] = x;
        for (int i = 0; i < layers.size(); i++) {
            acts[i + 1] = new float[BATCH * layers.get(i).outputSize()];
            layers.get(i).forward(acts[i], acts[i + 1], BATCH);
        }
        System.out.println("layer                                    fwd ms   bwd ms   fwd GF/s  bwd GF/s");
        double total = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            float[] g = new float[BATCH * l.outputSize()];
            java.util.Arrays.fill(g, 0.01f);
            float[] dx = i == 0 ? null : new float[BATCH * l.inputSize()];
            int reps = 40;
            for (int r = 0; r < 5; r++) {
                l.forward(acts[i], acts[i + 1], BATCH);
                l.backward(acts[i], acts[i + 1], g, dx, grads, BATCH);
            }
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                l.forward(acts[i], acts[i + 1], BATCH);
            }
            long t1 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                l.backward(acts[i], acts[i + 1], g, dx, grads, BATCH);
            }
            long t2 = System.nanoTime();
            double fwd = (t1 - t0) / 1e6 / reps, bwd = (t2 - t1) / 1e6 / reps;
            total += fwd + bwd;
            long macs = l instanceof Conv2DLayer ? ((Conv2DLayer) l).multiplyAccumulates()
                    : l instanceof DenseLayer ? (long) l.inputSize() * l.outputSize() : 0;
            String name = l.getClass().getSimpleName() + " " + l.inputSize() + "->" + l.outputSize();
            double bwdFactor = i == 0 ? 1 : 2;
            System.out.printf("%-38s %8.3f %8.3f %9.2f %9.2f%n", name, fwd, bwd,
                    macs == 0 ? 0 : 2.0 * macs * BATCH / fwd / 1e6,
                    macs == 0 ? 0 : bwdFactor * 2.0 * macs * BATCH / bwd / 1e6);
        }
        System.out.printf("sum of layers: %.2f ms%n", total);
    }
}
