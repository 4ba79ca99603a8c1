package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.FeedForwardNetwork;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Single-thread scoring time per row of a one-hidden-layer autoencoder through {@link AutoencoderScorer} (its
 * Vector API kernel and its scalar specification) beside the layer-by-layer forward pass of the default teacher
 * {@code d-64-16-64-d} (not a test). 20,000 random rows, streamed from memory. Run on the test classpath:
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes \
 *       io.github.tribuokd.nn.kernels.AutoencoderScorerBenchmark [d] [h]
 * </pre>
 * Defaults: d = 380, h = 8 (the default student of SMD windows). Prints the fastest of six passes after two warm-ups.
 */
public final class AutoencoderScorerBenchmark {

    private AutoencoderScorerBenchmark() { }

    /**
     * Runs the benchmark.
     * @param args {@code [d] [h]}.
     */
    public static void main(String[] args) {
        int d = args.length > 0 ? Integer.parseInt(args[0]) : 380;
        int h = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int n = 20_000;
        FeedForwardNetwork student = new FeedForwardNetwork(new int[]{d, h, d}, Activation.TANH, Activation.IDENTITY);
        student.initialise(new SplittableRandom(1));
        float[] mean = new float[d];
        float[] scale = new float[d];
        Arrays.fill(scale, 1f);
        float[] x = new float[n * d];
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        AutoencoderScorer[] scorers = {AutoencoderScorer.of(student, mean, scale),
                AutoencoderScorer.plain(student, mean, scale)};
        for (AutoencoderScorer scorer : scorers) {
            float[] scratch = new float[scorer.scratchSize()];
            double sink = 0;
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < 8; rep++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    sink += scorer.score(x, i * d, scratch);
                }
                if (rep >= 2) {
                    best = Math.min(best, System.nanoTime() - t0);
                }
            }
            System.out.printf("student %d-%d-%d, %s kernel: %.0f ns per row (checksum %.3f)%n", d, h, d,
                    scorer.name(), (double) best / n, sink);
        }
        FeedForwardNetwork teacher = new FeedForwardNetwork(new int[]{d, 64, 16, 64, d}, Activation.TANH,
                Activation.IDENTITY);
        teacher.initialise(new SplittableRandom(3));
        FeedForwardNetwork.Workspace ws = teacher.newWorkspace(256);
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 8; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i += 256) {
                teacher.infer(x, i * d, Math.min(256, n - i), ws);
            }
            if (rep >= 2) {
                best = Math.min(best, System.nanoTime() - t0);
            }
        }
        System.out.printf("teacher %d-64-16-64-%d, layer by layer (forward only, no error): %.0f ns per row%n", d, d,
                (double) best / n);
    }
}
