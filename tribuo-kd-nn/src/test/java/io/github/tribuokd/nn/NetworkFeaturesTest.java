package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Intermediate features of a {@link FeedForwardNetwork} and gradients injected at several layers at once, against
 * central finite differences of {@code L = Σ_m Σ c_m · y_m} (y_m the output of dense layer m after its activation).
 */
public class NetworkFeaturesTest {

    private static final int[] SIZES = {4, 5, 3, 4, 2};
    private static final int[] TAPS = {2, 0};  // any order
    private static final int BATCH = 3;

    private static double probe(FeedForwardNetwork net, float[] x, float[][] c, FeedForwardNetwork.Workspace ws) {
        net.forwardTo(x, BATCH, ws, 3);
        double s = 0;
        for (int m = 0; m < TAPS.length; m++) {
            float[] y = net.layerOutput(TAPS[m], ws);
            for (int i = 0; i < c[m].length; i++) {
                s += (double) y[i] * c[m][i];
            }
        }
        return s;
    }

    @Test
    public void featuresEqualTheFullForwardPass() {
        FeedForwardNetwork net = new FeedForwardNetwork(SIZES, Activation.TANH, Activation.IDENTITY);
        net.initialise(new SplittableRandom(1));
        float[] x = GradientCheckTest.random(new SplittableRandom(2), BATCH * 4, 1.0);
        FeedForwardNetwork.Workspace full = net.newWorkspace(BATCH);
        FeedForwardNetwork.Workspace part = net.newWorkspace(BATCH);
        net.forward(x, BATCH, full);
        net.forwardTo(x, BATCH, part, 2);
        assertArrayEquals(net.layerOutput(0, full), net.layerOutput(0, part));
        assertArrayEquals(net.layerOutput(1, full), net.layerOutput(1, part));
        assertEquals(4, net.numDenseLayers());
        assertThrows(IllegalArgumentException.class, () -> net.forwardTo(x, BATCH, part, 5));
        assertThrows(IllegalArgumentException.class, () -> net.layerOutput(4, part));
    }

    @Test
    public void injectedGradientsMatchFiniteDifferences() {
        for (Activation act : new Activation[]{Activation.TANH, Activation.SIGMOID}) {
            SplittableRandom rng = new SplittableRandom(7);
            FeedForwardNetwork net = new FeedForwardNetwork(SIZES, act, Activation.IDENTITY);
            net.initialise(rng);
            float[] p = net.parameters();
            for (int i = 0; i < p.length; i++) {
                p[i] += (float) (rng.nextDouble() * 0.2 - 0.1);
            }
            float[] x = GradientCheckTest.random(rng, BATCH * SIZES[0], 1.0);
            float[][] c = new float[TAPS.length][];
            for (int m = 0; m < TAPS.length; m++) {
                c[m] = GradientCheckTest.random(rng, BATCH * SIZES[TAPS[m] + 1], 1.0);
            }
            FeedForwardNetwork.Workspace ws = net.newWorkspace(BATCH);
            net.forwardTo(x, BATCH, ws, 3);
            float[] grads = new float[p.length];
            float[] dx = net.backwardFrom(c, TAPS, BATCH, ws, grads, true).clone();

            float h = 1e-3f;
            for (int i = 0; i < x.length; i++) {
                float keep = x[i];
                x[i] = keep + h;
                double plus = probe(net, x, c, ws);
                x[i] = keep - h;
                double minus = probe(net, x, c, ws);
                x[i] = keep;
                GradientCheckTest.assertClose((plus - minus) / (2 * h), dx[i], act + " dInput[" + i + "]");
            }
            int usedParameters = 0;
            for (int i = 0; i < p.length; i++) {
                float keep = p[i];
                p[i] = keep + h;
                double plus = probe(net, x, c, ws);
                p[i] = keep - h;
                double minus = probe(net, x, c, ws);
                p[i] = keep;
                double numeric = (plus - minus) / (2 * h);
                GradientCheckTest.assertClose(numeric, grads[i], act + " dParameter[" + i + "]");
                usedParameters += numeric != 0 ? 1 : 0;
            }
            // dense layers 0..2 feed the taps; the last dense layer (4·2 + 2) gets no gradient
            assertEquals(p.length - (4 * 2 + 2), usedParameters, act + ": parameters reached by the probe");
        }
    }

    @Test
    public void oneInjectionAtTheOutputEqualsBackward() {
        FeedForwardNetwork net = new FeedForwardNetwork(SIZES, Activation.TANH, Activation.IDENTITY);
        net.initialise(new SplittableRandom(3));
        float[] x = GradientCheckTest.random(new SplittableRandom(4), BATCH * 4, 1.0);
        float[] dy = GradientCheckTest.random(new SplittableRandom(5), BATCH * 2, 1.0);
        FeedForwardNetwork.Workspace ws = net.newWorkspace(BATCH);
        net.forward(x, BATCH, ws);
        float[] g1 = new float[net.numParameters()];
        float[] dx1 = net.backward(dy, BATCH, ws, g1, true).clone();
        float[] g2 = new float[net.numParameters()];
        float[] dx2 = net.backwardFrom(new float[][]{dy}, new int[]{3}, BATCH, ws, g2, true);
        assertArrayEquals(g1, g2);
        assertArrayEquals(dx1, dx2);
        assertNull(net.backwardFrom(new float[][]{dy}, new int[]{3}, BATCH, ws, g2, false));
        assertThrows(IllegalArgumentException.class,
                () -> net.backwardFrom(new float[][]{dy, dy}, new int[]{3, 3}, BATCH, ws, g2, false));
    }
}
