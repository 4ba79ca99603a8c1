package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.github.tribuokd.nn.GradientCheckTest.assertClose;
import static io.github.tribuokd.nn.GradientCheckTest.checkLayer;
import static io.github.tribuokd.nn.GradientCheckTest.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backward passes of the spatial layers, and of a whole {@link SequentialNetwork} that uses them, against
 * central finite differences (the method of {@link GradientCheckTest}).
 */
public class ConvGradientCheckTest {

    private static final float H = 1e-3f;

    @Test
    public void conv2dSamePadding() {
        checkLayer(new Conv2DLayer(2, 5, 6, 3, 3, true, Activation.RELU), 2, 11L);
        checkLayer(new Conv2DLayer(3, 5, 6, 2, 5, true, Activation.TANH), 2, 12L);
    }

    @Test
    public void conv2dValidPadding() {
        checkLayer(new Conv2DLayer(2, 5, 6, 3, 3, false, Activation.IDENTITY), 2, 13L);
        checkLayer(new Conv2DLayer(2, 5, 6, 2, 5, false, Activation.RELU), 2, 14L);
    }

    @Test
    public void conv2dPointwiseAndSingleChannel() {
        checkLayer(new Conv2DLayer(3, 4, 5, 2, 1, true, Activation.RELU), 2, 15L);
        checkLayer(new Conv2DLayer(1, 5, 6, 1, 3, true, Activation.RELU), 2, 16L);
    }

    @Test
    public void conv2dWideOutputAndSingleImage() {
        // Cout > Cin·k·k: dW goes through dY · colᵀ rather than col · dYᵀ
        checkLayer(new Conv2DLayer(1, 4, 5, 10, 3, true, Activation.RELU), 2, 17L);
        checkLayer(new Conv2DLayer(1, 4, 5, 3, 1, false, Activation.IDENTITY), 2, 18L);
        // one image: products straight into the output and input gradient (no gather/scatter)
        checkLayer(new Conv2DLayer(2, 5, 6, 3, 3, true, Activation.RELU), 1, 19L);
        checkLayer(new Conv2DLayer(2, 6, 5, 3, 3, false, Activation.RELU), 1, 20L);
    }

    @Test
    public void avgPool2d() {
        checkLayer(new AvgPool2DLayer(2, 4, 6, 2), 2, 21L);
        checkLayer(new AvgPool2DLayer(3, 5, 7, 2), 2, 22L); // odd sizes: last row and column dropped
        checkLayer(new AvgPool2DLayer(1, 7, 6, 3), 2, 23L);
    }

    @Test
    public void upsample2d() {
        checkLayer(new Upsample2DLayer(2, 3, 4, 2), 2, 31L);
        checkLayer(new Upsample2DLayer(1, 2, 3, 3), 2, 32L);
    }

    @Test
    public void poolAndUpsampleValues() {
        AvgPool2DLayer pool = new AvgPool2DLayer(1, 3, 5, 2);
        float[] x = {1, 2, 3, 4, 100,
                     5, 6, 7, 8, 100,
                     100, 100, 100, 100, 100};
        float[] y = new float[pool.outputSize()];
        pool.forward(x, y, 1);
        assertEquals(2, y.length);
        assertEquals(3.5f, y[0]);
        assertEquals(5.5f, y[1]);

        Upsample2DLayer up = new Upsample2DLayer(1, 2, 2, 2);
        float[] u = new float[up.outputSize()];
        up.forward(new float[]{1, 2, 3, 4}, u, 1);
        float[] expected = {1, 1, 2, 2,
                            1, 1, 2, 2,
                            3, 3, 4, 4,
                            3, 3, 4, 4};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], u[i], "upsampled[" + i + "]");
        }
    }

    /** conv → relu → pool → conv → upsample → dense on [2, 6, 6] images. */
    static List<Layer> smallNetwork() {
        List<Layer> l = new ArrayList<>();
        l.add(new Conv2DLayer(2, 6, 6, 3, 3, true, Activation.RELU));
        l.add(new ActivationLayer(3 * 36, Activation.RELU));
        l.add(new AvgPool2DLayer(3, 6, 6, 2));
        l.add(new Conv2DLayer(3, 3, 3, 4, 3, true, Activation.IDENTITY));
        l.add(new Upsample2DLayer(4, 3, 3, 2));
        l.add(new DenseLayer(4 * 36, 5, Activation.IDENTITY));
        return l;
    }

    @Test
    public void wholeSequentialNetwork() {
        SplittableRandom rng = new SplittableRandom(41);
        SequentialNetwork net = new SequentialNetwork(ConvGradientCheckTest::smallNetwork);
        net.initialise(rng);
        float[] p = net.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (rng.nextDouble() * 0.2 - 0.1); // non-zero biases too
        }
        int batch = 2;
        float[] x = random(rng, batch * net.inputSize(), 1.0);
        float[] target = random(rng, batch * net.outputSize(), 1.0);
        SequentialNetwork.Workspace ws = net.newWorkspace(batch);
        float[] y = net.forward(x, batch, ws);
        float[] dy = new float[y.length];
        LossFunction.MSE.lossAndGradient(y, target, dy, y.length);
        float[] grads = new float[net.numParameters()];
        float[] dx = net.backward(dy, batch, ws, grads, true).clone();
        for (int i = 0; i < p.length; i++) {
            float keep = p[i];
            p[i] = keep + H;
            double plus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            p[i] = keep - H;
            double minus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            p[i] = keep;
            assertClose((plus - minus) / (2 * H), grads[i], "network dParam[" + i + "]");
        }
        for (int i = 0; i < x.length; i++) {
            float keep = x[i];
            x[i] = keep + H;
            double plus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            x[i] = keep - H;
            double minus = LossFunction.MSE.lossAndGradient(net.forward(x, batch, ws), target, null, y.length);
            x[i] = keep;
            assertClose((plus - minus) / (2 * H), dx[i], "network dInput[" + i + "]");
        }
        // Gradients accumulate: a second backward adds the same amount again.
        net.forward(x, batch, ws);
        float[] twice = grads.clone();
        net.backward(dy, batch, ws, twice, false);
        for (int i = 0; i < grads.length; i++) {
            assertEquals(2 * grads[i], twice[i], 1e-5 * Math.abs(grads[i]) + 1e-7, "accumulated dParam[" + i + "]");
        }
    }
}
