package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.kernels.Kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Forward and forward+backward time per example of {@link MSCREDNetwork} on one thread (a program, not a test):
 * seed 002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md)'s teacher (channels 32, 64, 128, 256) and student (32, 64), and the same with a quarter of the channels
 * (8, 16, 32, 64 and 8, 16), at n = 55 (MSL) and n = 25 (SMAP), 3 scales, 5 steps. Arguments
 * {@code [batch [seconds]]} override the batch (default 2) and the time spent per measurement (default 4 s).
 * <p>
 * Run after {@code mvn -B -q -o -pl tribuo-kd-anomaly test-compile}:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp tribuo-kd-anomaly/target/classes:tribuo-kd-anomaly/target/test-classes \
 *        io.github.tribuokd.timeseries.mscred.MSCREDBenchmark
 * </pre>
 * FLOPs are {@code 2·MAC}: the forward pass's {@link MSCREDNetwork#multiplyAccumulates()}, and for the backward
 * pass twice those (weight and input gradients) less the first convolution's input gradient, which is not asked
 * for. Element-wise work (gates, activations, copies) is not counted but is in the time. Median over the
 * repetitions after a warm-up; the reconstruction MSE gradient is computed outside the timed region.
 */
public final class MSCREDBenchmark {

    private MSCREDBenchmark() { }

    /**
     * Runs the benchmark.
     * @param args Optional {@code batch seconds}.
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 4.0;
        int steps = 5;
        int scales = 3;
        System.out.printf("MSCRED forward/backward, %d scales, %d steps, batch %d, kernels %s, 1 thread%n", scales,
                steps, batch, Kernels.get().name());
        System.out.printf("%-8s %3s %-16s %10s %9s %12s %12s %9s%n", "model", "n", "channels", "params",
                "GMAC/ex", "fwd ms/ex", "f+b ms/ex", "GFLOP/s");
        int[][] channelSets = {{32, 64, 128, 256}, {8, 16, 32, 64}};
        for (int[] channels : channelSets) {
            for (int n : new int[]{55, 25}) {
                for (int levels : new int[]{4, 2}) {
                    MSCREDNetwork net = new MSCREDNetwork(scales, n, steps, Arrays.copyOf(channels, levels),
                            Arrays.copyOf(new int[]{3, 3, 2, 2}, levels), Arrays.copyOf(new int[]{1, 2, 2, 2}, levels),
                            TemporalAttention.DEFAULT_RESCALE);
                    run(levels == 4 ? "teacher" : "student", net, batch, seconds);
                }
            }
        }
    }

    private static void run(String name, MSCREDNetwork net, int batch, double seconds) {
        net.initialise(new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(2);
        float[] x = new float[batch * net.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        MSCREDNetwork.Workspace ws = net.newWorkspace(batch);
        float[] grads = new float[net.numParameters()];
        float[] dy = new float[batch * net.outputSize()];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) (rng.nextDouble() * 2 - 1) * 1e-3f;
        }
        long macs = net.multiplyAccumulates();
        long backwardMacs = 2 * macs - (long) net.steps() * net.encoderLayer(1).multiplyAccumulates();
        double fwdFlop = 2.0 * macs;
        double bothFlop = fwdFlop + 2.0 * backwardMacs;

        long budget = (long) (seconds * 1e9);
        long warmUntil = System.nanoTime() + budget / 2;
        int warm = 0;
        while (warm < 2 || System.nanoTime() < warmUntil) {
            net.forward(x, batch, ws);
            net.backward(dy, null, batch, ws, grads, null);
            warm++;
        }
        long[] fwd = new long[1000];
        long[] both = new long[1000];
        int reps = 0;
        long end = System.nanoTime() + budget;
        while (reps < 3 || (System.nanoTime() < end && reps < fwd.length)) {
            Arrays.fill(grads, 0f);
            long t0 = System.nanoTime();
            net.forward(x, batch, ws);
            long t1 = System.nanoTime();
            net.backward(dy, null, batch, ws, grads, null);
            long t2 = System.nanoTime();
            fwd[reps] = t1 - t0;
            both[reps] = t2 - t0;
            reps++;
        }
        double fwdMs = median(fwd, reps) / 1e6 / batch;
        double bothMs = median(both, reps) / 1e6 / batch;
        StringBuilder channels = new StringBuilder();
        for (int l = 1; l <= net.levels(); l++) {
            channels.append(l == 1 ? "" : ",").append(net.levelChannels(l));
        }
        System.out.printf("%-8s %3d %-16s %,10d %9.3f %12.2f %12.2f %9.1f   (%d reps)%n", name, net.side(), channels,
                net.numParameters(), macs / 1e9, fwdMs, bothMs, bothFlop / (bothMs * 1e6), reps);
    }

    private static long median(long[] a, int n) {
        long[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        return s[n / 2];
    }
}
