package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DropoutLayerTest {

    @Test
    void identityAtInferenceAndMaskedInTraining() {
        DropoutLayer d = new DropoutLayer(1000, 0.3, 7L);
        float[] x = new float[2000];
        Arrays.fill(x, 1f);
        float[] y = new float[2000];
        d.forward(x, y, 2);
        assertArrayEquals(x, y);
        long[] keys = {11L, 12L};
        d.forward(x, y, 2, keys);
        int dropped = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0f) {
                dropped++;
            } else {
                assertEquals((float) (1 / 0.7), y[i]);
            }
        }
        assertEquals(0.3, dropped / 2000.0, 0.04);
        // same key, same mask; the two rows differ
        float[] again = new float[2000];
        d.forward(x, again, 2, keys);
        assertArrayEquals(y, again);
        assertNotEquals(Arrays.toString(Arrays.copyOf(y, 1000)), Arrays.toString(Arrays.copyOfRange(y, 1000, 2000)));
        // a row alone gets the mask it gets in a batch
        float[] alone = new float[1000];
        d.forward(x, alone, 1, new long[]{12L});
        assertArrayEquals(Arrays.copyOfRange(y, 1000, 2000), alone);
        // backward uses the forward mask
        float[] g = new float[2000];
        d.backward(x, g, 2, keys);
        assertArrayEquals(y, g);
        // another seed, another mask
        float[] other = new float[2000];
        new DropoutLayer(1000, 0.3, 8L).forward(x, other, 2, keys);
        assertNotEquals(Arrays.toString(y), Arrays.toString(other));
        assertThrows(IllegalArgumentException.class, () -> new DropoutLayer(3, 1.0, 1L));
        assertThrows(IllegalArgumentException.class, () -> new DropoutLayer(3, -0.1, 1L));
    }

    /** A network with dropout, trained form: the backward pass is the gradient of the masked forward pass. */
    @Test
    void networkGradientThroughDropoutMatchesFiniteDifferences() {
        SequentialNetwork net = new SequentialNetwork(() -> List.of(new DenseLayer(4, 6, Activation.TANH),
                new ActivationLayer(6, Activation.TANH), new DropoutLayer(6, 0.4, 3L),
                new DenseLayer(6, 3, Activation.IDENTITY)));
        net.initialise(new SplittableRandom(5));
        SplittableRandom rng = new SplittableRandom(6);
        int batch = 3;
        float[] x = new float[batch * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        int[] labels = {0, 2, 1};
        long[] keys = {100L, 101L, 102L};
        SoftTargetCrossEntropy loss = SoftTargetCrossEntropy.hardLabels();
        SequentialNetwork.Workspace ws = net.newWorkspace(batch);
        float[] out = net.forward(x, batch, ws, keys);
        float[] dOut = new float[batch * 3];
        loss.lossAndGradient(out, labels, null, dOut, batch, 3, batch);
        float[] grads = new float[net.numParameters()];
        net.backward(dOut, batch, ws, grads, false);
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            float keep = p[i];
            p[i] = keep + 1e-3f;
            double hi = p[i];
            double up = loss.lossAndGradient(net.forward(x, batch, ws, keys), labels, null, null, batch, 3, batch);
            p[i] = keep - 1e-3f;
            double lo = p[i];
            double down = loss.lossAndGradient(net.forward(x, batch, ws, keys), labels, null, null, batch, 3, batch);
            p[i] = keep;
            double numeric = (up - down) / (hi - lo) / batch;
            assertEquals(numeric, grads[i], 0.02 * Math.abs(numeric) + 2e-3, "parameter " + i);
        }
    }
}
