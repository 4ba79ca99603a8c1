package io.github.tribuokd.nn;

import io.github.tribuokd.nn.kernels.Kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Forward and backward time of one {@link ConvLSTMLayer} on one thread (a program, not a test): Cin = 32,
 * Ch = 32, 16×16 maps, k = 3, 5 steps, batch 8 by default; arguments {@code Cin Ch side k steps batch} override.
 * <p>
 * Run after {@code mvn -B -q -o -pl tribuo-kd-anomaly test-compile}:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp tribuo-kd-anomaly/target/classes:tribuo-kd-anomaly/target/test-classes \
 *        io.github.tribuokd.nn.ConvLSTMBenchmark
 * </pre>
 * GFLOP/s counts the gate convolutions only: forward {@code 2·MAC} per step and image
 * ({@link ConvLSTMLayer#multiplyAccumulatesPerStep()}), backward twice that (weight and input gradients); the
 * element-wise gate work, im2col and copies are not counted but are in the time. Median of the repetitions after a
 * warm-up.
 */
public final class ConvLSTMBenchmark {

    private ConvLSTMBenchmark() { }

    /**
     * Runs the benchmark.
     * @param args Optional {@code Cin Ch side k steps batch}.
     */
    public static void main(String[] args) {
        int cin = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int ch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int side = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int k = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 8;

        ConvLSTMLayer layer = new ConvLSTMLayer(cin, ch, side, side, k);
        float[] params = new float[layer.numParameters()];
        float[] grads = new float[params.length];
        layer.bind(params, 0);
        layer.initialise(new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = new float[steps * batch * layer.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] h = new float[steps * batch * layer.hiddenSize()];
        float[] dH = new float[h.length];
        for (int i = 0; i < dH.length; i++) {
            dH[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        float[] dX = new float[x.length];
        RecurrentLayer.Cache cache = layer.newCache(batch, steps);

        double fwdFlop = 2.0 * layer.multiplyAccumulatesPerStep() * steps * batch;
        double bwdFlop = 2 * fwdFlop;
        System.out.printf("ConvLSTM Cin=%d Ch=%d %dx%d k=%d steps=%d batch=%d, %d parameters, kernels %s, 1 thread%n",
                cin, ch, side, side, k, steps, batch, params.length, Kernels.get().name());

        long warmUntil = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmUntil) {
            layer.forward(x, batch, steps, null, h, cache);
            layer.backward(dH, null, batch, steps, cache, dX, grads, null);
        }
        int reps = 30;
        long[] fwd = new long[reps];
        long[] bwd = new long[reps];
        for (int r = 0; r < reps; r++) {
            Arrays.fill(grads, 0f);
            long t0 = System.nanoTime();
            layer.forward(x, batch, steps, null, h, cache);
            long t1 = System.nanoTime();
            layer.backward(dH, null, batch, steps, cache, dX, grads, null);
            long t2 = System.nanoTime();
            fwd[r] = t1 - t0;
            bwd[r] = t2 - t1;
        }
        long[] both = new long[reps];
        for (int r = 0; r < reps; r++) {
            both[r] = fwd[r] + bwd[r];
        }
        report("forward", median(fwd), fwdFlop);
        report("backward", median(bwd), bwdFlop);
        report("forward+backward", median(both), fwdFlop + bwdFlop);
    }

    private static long median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void report(String what, long ns, double flop) {
        System.out.printf("%-17s %8.2f ms  %6.2f GFLOP  %6.1f GFLOP/s%n", what, ns / 1e6, flop / 1e9, flop / ns);
    }
}
