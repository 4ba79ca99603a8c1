package io.github.tribuokd.nn.kernels;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.FeedForwardNetwork;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

public class AutoencoderScorerTest {

    /** The score through the layer-by-layer forward pass, in double for the error sum. */
    private static double layered(FeedForwardNetwork net, float[] mean, float[] scale, float[] x, int offset) {
        int d = mean.length;
        float[] z = new float[d];
        for (int j = 0; j < d; j++) {
            z[j] = (x[offset + j] - mean[j]) / scale[j];
        }
        float[] r = net.forward(z, 1, net.newWorkspace(1));
        double sum = 0;
        for (int j = 0; j < d; j++) {
            double e = z[j] - r[j];
            sum += e * e;
        }
        return sum / d;
    }

    @Test
    public void fusedKernelsAgreeWithTheLayerByLayerPass() {
        // d = 37 and h = 6 exercise the register tails and the hidden units left after blocks of four.
        for (int[] shape : new int[][]{{37, 6}, {380, 8}, {16, 4}, {5, 3}}) {
            int d = shape[0], h = shape[1];
            SplittableRandom rng = new SplittableRandom(d * 31L + h);
            FeedForwardNetwork net = new FeedForwardNetwork(new int[]{d, h, d}, Activation.TANH, Activation.IDENTITY);
            net.initialise(rng);
            float[] p = net.parameters();
            for (int i = 0; i < p.length; i++) {
                p[i] += (float) (0.1 * rng.nextGaussian());  // non-zero biases too
            }
            net.setParameters(p);
            float[] mean = new float[d], scale = new float[d];
            for (int j = 0; j < d; j++) {
                mean[j] = (float) rng.nextGaussian();
                scale[j] = (float) (0.5 + rng.nextDouble());
            }
            int n = 20;
            float[] x = new float[n * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (3 * rng.nextGaussian());
            }
            float[] copy = x.clone();
            AutoencoderScorer plain = AutoencoderScorer.plain(net, mean, scale);
            AutoencoderScorer best = AutoencoderScorer.of(net, mean, scale);
            assertNotNull(best);
            float[] scratch = new float[Math.max(plain.scratchSize(), best.scratchSize())];
            for (int r = 0; r < n; r++) {
                double expected = layered(net, mean, scale, x, r * d);
                assertEquals(expected, plain.score(x, r * d, scratch), 1e-5 * (1 + expected), "plain " + d + "-" + h);
                assertEquals(expected, best.score(x, r * d, scratch), 1e-5 * (1 + expected), best.name() + " " + d);
            }
            assertArrayEquals(copy, x, "the input is not modified");
        }
    }

    @Test
    public void onlyOneHiddenLayerAutoencodersApply() {
        FeedForwardNetwork deep = new FeedForwardNetwork(new int[]{8, 4, 2, 4, 8}, Activation.TANH,
                Activation.IDENTITY);
        FeedForwardNetwork regression = new FeedForwardNetwork(new int[]{8, 4, 1}, Activation.RELU,
                Activation.IDENTITY);
        assertNull(AutoencoderScorer.of(deep, new float[8], new float[8]));
        assertNull(AutoencoderScorer.of(regression, new float[8], new float[8]));
        assertThrows(IllegalArgumentException.class, () -> AutoencoderScorer.plain(deep, new float[8], new float[8]));
        FeedForwardNetwork ae = new FeedForwardNetwork(new int[]{8, 4, 8}, Activation.TANH, Activation.IDENTITY);
        assertThrows(IllegalArgumentException.class, () -> AutoencoderScorer.of(ae, new float[7], new float[7]));
    }
}
