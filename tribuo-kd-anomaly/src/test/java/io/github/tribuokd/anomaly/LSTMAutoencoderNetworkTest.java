package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.kernels.GradientShard;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class LSTMAutoencoderNetworkTest {

    private static float[] sineWindows(int n, int steps, int d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[n * steps * d];
        for (int i = 0; i < n; i++) {
            double phase = rng.nextDouble() * 6.28;
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < d; j++) {
                    w[(i * steps + t) * d + j] = (float) (Math.sin(phase + 0.4 * t + j) + 0.05 * rng.nextGaussian());
                }
            }
        }
        return w;
    }

    /** The whole encoder-decoder's gradient against central finite differences of the mean window MSE. */
    @Test
    public void gradientMatchesFiniteDifferences() {
        int d = 2, h = 3, steps = 4, batch = 2;
        LSTMAutoencoderNetwork net = new LSTMAutoencoderNetwork(d, h);
        net.initialise(new SplittableRandom(1));
        float[] windows = sineWindows(batch, steps, d, 2L);
        GradientShard shard = net.newShard(windows, steps, batch);
        int[] order = {0, 1};
        shard.compute(order, 0, batch, batch);
        float[] analytic = shard.gradients().clone();
        LSTMAutoencoderNetwork.Workspace ws = net.newWorkspace(batch, steps);
        double[] errors = new double[batch];
        float[] p = net.parameters();
        float eps = 1e-3f;
        for (int i = 0; i < p.length; i++) {
            float keep = p[i];
            p[i] = keep + eps;
            net.reconstructionErrors(windows, 0, batch, ws, errors);
            double plus = (errors[0] + errors[1]) / batch;
            p[i] = keep - eps;
            net.reconstructionErrors(windows, 0, batch, ws, errors);
            double minus = (errors[0] + errors[1]) / batch;
            p[i] = keep;
            double numeric = (plus - minus) / (2 * eps);
            double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic[i])) + 2e-3;
            assertEquals(numeric, analytic[i], tol, "parameter " + i);
        }
    }

    @Test
    public void parameterCountsMatchPyTorchLessItsSecondBias() {
        // PyTorch counts 1,117,286 (H=352) and 55,718 (H=64); nn.LSTM has two bias vectors.
        assertEquals(1_117_286 - 2 * 4 * 352, new LSTMAutoencoderNetwork(38, 352).numParameters());
        assertEquals(55_718 - 2 * 4 * 64, new LSTMAutoencoderNetwork(38, 64).numParameters());
    }

    @Test
    public void learnsAndIsDeterministicOnAnyThreadCount() {
        int d = 3, h = 16, steps = 12, n = 96;
        float[] windows = sineWindows(n, steps, d, 3L);
        float[][] finals = new float[2][];
        double[][] history = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            LSTMAutoencoderNetwork net = new LSTMAutoencoderNetwork(d, h);
            SplittableRandom rng = new SplittableRandom(5);
            net.initialise(rng);
            history[threads - 1] = MinibatchTraining.train(net.parameters(),
                    capacity -> net.newShard(windows, steps, capacity), n, steps * d, new AdamOptimiser(0.01), 30, 16,
                    rng, "lstm-ae", threads);
            finals[threads - 1] = net.parameters().clone();
        }
        assertArrayEquals(finals[0], finals[1], "1 and 2 threads must train identical weights");
        double first = history[0][0], last = history[0][history[0].length - 1];
        assertTrue(last < first / 5, "loss " + first + " -> " + last);
        // Reconstruction is in the original time order.
        LSTMAutoencoderNetwork net = new LSTMAutoencoderNetwork(d, h);
        net.setParameters(finals[0]);
        float[] recon = new float[n * steps * d];
        LSTMAutoencoderNetwork.Workspace ws = net.newWorkspace(n, steps);
        net.reconstruct(windows, 0, n, ws, recon);
        double err = 0, base = 0;
        for (int i = 0; i < recon.length; i++) {
            err += Math.pow(recon[i] - windows[i], 2);
            base += Math.pow(windows[i], 2);
        }
        assertTrue(err < 0.2 * base, "relative reconstruction error " + err / base);
        // Parallel scoring is bit-identical to one thread, whatever the chunking.
        double[] one = new double[n], two = new double[n];
        net.reconstructionErrors(windows, n, steps, 7, 1, one);
        net.reconstructionErrors(windows, n, steps, 16, 2, two);
        assertArrayEquals(one, two);
    }
}
