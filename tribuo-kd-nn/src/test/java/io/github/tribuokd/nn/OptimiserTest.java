package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;
import org.tribuo.test.Helpers;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class OptimiserTest {

    /** Two Adam steps against the update of Kingma and Ba, Algorithm 1, written out in double precision. */
    @Test
    public void adamMatchesThePaper() {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        AdamOptimiser adam = new AdamOptimiser(lr, b1, b2, eps);
        float[] theta = {1.0f, -2.0f};
        adam.initialise(2);
        double[] th = {1.0, -2.0};
        double[] m = new double[2], v = new double[2];
        float[][] gs = {{0.5f, -3f}, {0.25f, 1f}};
        for (int t = 1; t <= 2; t++) {
            adam.step(theta, gs[t - 1]);
            for (int i = 0; i < 2; i++) {
                double g = gs[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mh = m[i] / (1 - Math.pow(b1, t));
                double vh = v[i] / (1 - Math.pow(b2, t));
                th[i] -= lr * mh / (Math.sqrt(vh) + eps);
            }
        }
        assertEquals(th[0], theta[0], 5e-6); // float32 state
        assertEquals(th[1], theta[1], 5e-6);
        // The first Adam step has size lr in every coordinate (mh/sqrt(vh) = sign(g)).
        AdamOptimiser fresh = new AdamOptimiser(0.1);
        float[] p = {0f};
        fresh.initialise(1);
        fresh.step(p, new float[]{42f});
        assertEquals(-0.1, p[0], 1e-6);
    }

    @Test
    public void sgdMomentumAndAdaGradUpdates() {
        SGDMomentumOptimiser sgd = new SGDMomentumOptimiser(0.1, 0.5, false);
        float[] p = {1f};
        sgd.initialise(1);
        sgd.step(p, new float[]{2f}); // u = 2, p = 1 - 0.2
        sgd.step(p, new float[]{2f}); // u = 3, p = 0.8 - 0.3
        assertEquals(0.5, p[0], 1e-6);
        AdaGradOptimiser ada = new AdaGradOptimiser(0.1, 1e-8, 0.0);
        float[] q = {1f};
        ada.initialise(1);
        ada.step(q, new float[]{3f}); // G = 9, q = 1 - 0.1*3/3
        ada.step(q, new float[]{4f}); // G = 25, q = 0.9 - 0.1*4/5
        assertEquals(0.82, q[0], 1e-6);
    }

    /** Noise-free linear data: every optimiser must drive the error to ~0 (Tribuo 4.3.2's Adam stalls here). */
    @Test
    public void optimisersSolveLinearRegression() {
        Optimiser[] optimisers = {new AdamOptimiser(0.01), new AdaGradOptimiser(0.1, 1e-8, 0.0),
                new SGDMomentumOptimiser(0.05, 0.9, false), new SGDMomentumOptimiser(0.05, 0.9, true)};
        SplittableRandom data = new SplittableRandom(11);
        int n = 256, d = 4;
        float[] x = new float[n * d];
        float[] y = new float[n];
        float[] w = {0.5f, -1.5f, 2f, 0.25f};
        for (int i = 0; i < n; i++) {
            float s = 0.3f;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) data.nextGaussian();
                s += w[j] * x[i * d + j];
            }
            y[i] = s;
        }
        for (Optimiser o : optimisers) {
            FeedForwardNetwork net = new FeedForwardNetwork(new int[]{d, 1}, Activation.IDENTITY, Activation.IDENTITY);
            net.initialise(new SplittableRandom(1));
            double[] history = MinibatchTraining.train(net, x, y, n, LossFunction.MSE, o.copy(), 300, 32,
                    new SplittableRandom(2), "linear");
            assertTrue(history[history.length - 1] < 1e-6, o + " final MSE " + history[history.length - 1]);
        }
    }

    @Test
    public void sameSeedSameWeights() {
        SplittableRandom data = new SplittableRandom(3);
        int n = 100;
        float[] x = new float[n * 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextGaussian();
        }
        float[][] finals = new float[3][];
        for (int run = 0; run < 3; run++) {
            long seed = run < 2 ? 7L : 8L;
            FeedForwardNetwork net = new FeedForwardNetwork(new int[]{5, 4, 2, 4, 5}, Activation.TANH, Activation.IDENTITY);
            SplittableRandom rng = new SplittableRandom(seed);
            net.initialise(rng);
            MinibatchTraining.train(net, x, x, n, LossFunction.MSE, new AdamOptimiser(), 5, 16, rng, "ae");
            finals[run] = net.parameters().clone();
        }
        assertArrayEquals(finals[0], finals[1]);
        assertFalse(java.util.Arrays.equals(finals[0], finals[2]));
    }

    /** Fixed shards and a fixed-order reduction: 1 and 2 threads train bit-identical weights. */
    @Test
    public void oneAndTwoThreadsGiveIdenticalWeights() {
        SplittableRandom data = new SplittableRandom(4);
        int n = 777;
        float[] x = new float[n * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextGaussian();
        }
        float[][] finals = new float[2][];
        double[][] losses = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            FeedForwardNetwork net = new FeedForwardNetwork(new int[]{9, 7, 3, 7, 9}, Activation.TANH, Activation.IDENTITY);
            SplittableRandom rng = new SplittableRandom(21);
            net.initialise(rng);
            losses[threads - 1] = MinibatchTraining.train(net, x, x, n, LossFunction.MSE, new AdamOptimiser(), 4, 64,
                    rng, "threads", threads);
            finals[threads - 1] = net.parameters().clone();
        }
        assertArrayEquals(finals[0], finals[1]);
        assertArrayEquals(losses[0], losses[1]);
        assertTrue(losses[0][3] < losses[0][0], "training must make progress");
    }

    @Test
    public void configurationAndProvenance() {
        Helpers.testConfigurableRoundtrip(new AdamOptimiser(0.002, 0.8, 0.99, 1e-7));
        Helpers.testConfigurableRoundtrip(new AdaGradOptimiser(0.3, 1e-6, 0.1));
        Helpers.testConfigurableRoundtrip(new SGDMomentumOptimiser(0.1, 0.5, true));
        assertThrows(IllegalArgumentException.class, () -> new AdamOptimiser(-1.0));
        assertThrows(IllegalArgumentException.class, () -> new SGDMomentumOptimiser(0.1, 1.0, false));
    }
}
