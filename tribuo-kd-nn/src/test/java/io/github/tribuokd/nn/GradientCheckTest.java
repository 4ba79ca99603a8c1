package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every backward pass against central finite differences of a scalar probe loss {@code L = Σ c·y}.
 */
public class GradientCheckTest {

    private static final float H = 1e-3f;

    static float[] random(SplittableRandom rng, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static double probe(float[] y, float[] c) {
        double s = 0;
        for (int i = 0; i < c.length; i++) {
            s += (double) y[i] * c[i];
        }
        return s;
    }

    static void assertClose(double numeric, double analytic, String what) {
        double tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
        assertTrue(Math.abs(numeric - analytic) <= tol,
                what + ": finite difference " + numeric + " vs backward " + analytic);
    }

    /** Checks dL/dInput and dL/dParameters of one layer. */
    static void checkLayer(Layer layer, int batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] params = new float[layer.numParameters()];
        layer.bind(params, 0);
        layer.initialise(rng);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) (rng.nextDouble() * 0.2 - 0.1); // non-zero biases too
        }
        float[] x = random(rng, batch * layer.inputSize(), 1.0);
        for (int i = 0; i < x.length; i++) { // keep away from the ReLU kink
            if (Math.abs(x[i]) < 0.05f) {
                x[i] = 0.3f;
            }
        }
        float[] c = random(rng, batch * layer.outputSize(), 1.0);
        float[] y = new float[batch * layer.outputSize()];
        layer.forward(x, y, batch);
        float[] dx = new float[x.length];
        float[] grads = new float[params.length];
        layer.backward(x, y, c, dx, grads, batch);

        float[] yTmp = new float[y.length];
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + H;
            layer.forward(x, yTmp, batch);
            double plus = probe(yTmp, c);
            x[i] = keep - H;
            layer.forward(x, yTmp, batch);
            double minus = probe(yTmp, c);
            x[i] = keep;
            assertClose((plus - minus) / (2 * H), dx[i], "dInput[" + i + "]");
        }
        for (int i = 0; i < params.length; i++) {
            float keep = params[i];
            params[i] = keep + H;
            layer.forward(x, yTmp, batch);
            double plus = probe(yTmp, c);
            params[i] = keep - H;
            layer.forward(x, yTmp, batch);
            double minus = probe(yTmp, c);
            params[i] = keep;
            assertClose((plus - minus) / (2 * H), grads[i], "dParam[" + i + "]");
        }
    }

    @Test
    public void denseLayer() {
        checkLayer(new DenseLayer(7, 5, Activation.TANH), 3, 1L);
        checkLayer(new DenseLayer(1, 9, Activation.RELU), 4, 2L);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    public void activationLayer(Activation activation) {
        checkLayer(new ActivationLayer(6, activation), 3, 3L);
    }

    @ParameterizedTest
    @EnumSource(LossFunction.class)
    public void losses(LossFunction loss) {
        SplittableRandom rng = new SplittableRandom(4);
        int n = 12;
        float[] p = random(rng, n, 1.0);
        float[] t = random(rng, n, 1.0);
        float[] g = new float[n];
        loss.lossAndGradient(p, t, g, n);
        for (int i = 0; i < n; i++) {
            float keep = p[i];
            p[i] = keep + H;
            double plus = loss.lossAndGradient(p, t, null, n);
            p[i] = keep - H;
            double minus = loss.lossAndGradient(p, t, null, n);
            p[i] = keep;
            assertClose((plus - minus) / (2 * H), g[i], loss + " d/dp[" + i + "]");
        }
    }

    @Test
    public void lossValues() {
        float[] p = {1f, 2f, 3f, 4f};
        float[] t = {1f, 0f, 4f, 8f};
        assertEquals((0 + 4 + 1 + 16) / 4.0, LossFunction.MSE.lossAndGradient(p, t, null, 4), 1e-9);
        assertEquals((0 + 2 + 1 + 4) / 4.0, LossFunction.MAE.lossAndGradient(p, t, null, 4), 1e-9);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    public void wholeNetwork(Activation hidden) {
        SplittableRandom rng = new SplittableRandom(5);
        FeedForwardNetwork net = new FeedForwardNetwork(new int[]{6, 5, 3, 6}, hidden, Activation.SIGMOID);
        net.initialise(rng);
        int batch = 4;
        float[] x = random(rng, batch * 6, 1.0);
        float[] target = random(rng, batch * 6, 1.0);
        FeedForwardNetwork.Workspace ws = net.newWorkspace(batch);
        float[] y = net.forward(x, batch, ws);
        float[] dy = new float[y.length];
        LossFunction.MSE.lossAndGradient(y, target, dy, y.length);
        float[] grads = new float[net.numParameters()];
        float[] dx = net.backward(dy, batch, ws, grads, true).clone();
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            float keep = p[i];
            p[i] = keep + H;
            double plus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            p[i] = keep - H;
            double minus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            p[i] = keep;
            assertClose((plus - minus) / (2 * H), grads[i], hidden + " network dParam[" + i + "]");
        }
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + H;
            double plus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            x[i] = keep - H;
            double minus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            x[i] = keep;
            assertClose((plus - minus) / (2 * H), dx[i], hidden + " network dInput[" + i + "]");
        }
    }
}
