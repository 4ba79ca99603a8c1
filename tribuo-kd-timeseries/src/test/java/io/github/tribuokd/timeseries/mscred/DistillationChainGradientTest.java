package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.nn.ConvLSTMLayer;
import io.github.tribuokd.nn.RecurrentLayer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distillation term of the LTA student's loss (equation (8) of "Long-Term Accumulator"): the chain
 * {@link ConvLSTMLayer} → {@link TemporalAttention} → {@link NormalisedMSE}, its hand-chained gradients against
 * central finite differences of the whole.
 */
public class DistillationChainGradientTest {

    private static final float H = 1e-3f;
    private static final int CIN = 2;
    private static final int CH = 3;
    private static final int ROWS = 4;
    private static final int COLS = 5;
    private static final int K = 3;
    private static final int STEPS = 3;
    private static final int BATCH = 2;
    private static final int IN = CIN * ROWS * COLS;
    private static final int HID = CH * ROWS * COLS;


    /**
     * {@code L = NormMSE(attention(ConvLSTM(x)), target)}: the gradients of the three pieces chained by hand, against
     * finite differences of the whole.
     */
    @Test
    public void distillationChainGradient() {
        SplittableRandom rng = new SplittableRandom(31);
        ConvLSTMLayer layer = new ConvLSTMLayer(CIN, CH, ROWS, COLS, K);
        float[] params = new float[layer.numParameters()];
        layer.bind(params, 0);
        layer.initialise(rng);
        for (int i = 0; i < params.length; i++) {
            params[i] += (float) ((rng.nextDouble() * 2 - 1) * 0.3);
        }
        TemporalAttention attention = new TemporalAttention(HID, 2.0);
        float[] x = TestArrays.random(rng, STEPS * BATCH * IN, 1.0);
        float[] target = TestArrays.random(rng, BATCH * HID, 1.0);
        RecurrentLayer.Cache cache = layer.newCache(BATCH, STEPS);
        float[] h = new float[STEPS * BATCH * HID];
        float[] att = new float[BATCH * HID];
        float[] alpha = new float[BATCH * STEPS];
        java.util.function.DoubleSupplier loss = () -> {
            layer.forward(x, BATCH, STEPS, null, h, cache);
            attention.forward(h, STEPS, BATCH, att, alpha);
            return NormalisedMSE.meanLossAndGradient(att, target, BATCH, HID, null, 1.0);
        };
        loss.getAsDouble();
        float[] dAtt = new float[BATCH * HID];
        NormalisedMSE.meanLossAndGradient(att, target, BATCH, HID, dAtt, 1.0);
        float[] dH = new float[h.length];
        attention.backward(h, alpha, dAtt, STEPS, BATCH, dH);
        float[] grads = new float[params.length];
        float[] dx = new float[x.length];
        layer.backward(dH, null, BATCH, STEPS, cache, dx, grads, null);
        // the loss is small (≈ 1/D per value), so compare at a tighter absolute tolerance, relative to its scale
        for (int i = 0; i < params.length; i += 3) {
            float keep = params[i];
            params[i] = keep + H;
            double plus = loss.getAsDouble();
            params[i] = keep - H;
            double minus = loss.getAsDouble();
            params[i] = keep;
            double numeric = (plus - minus) / (2 * H);
            double tol = 3e-2 * Math.max(Math.abs(numeric), Math.abs(grads[i])) + 2e-5;
            assertTrue(Math.abs(numeric - grads[i]) <= tol, "dParam[" + i + "]: " + numeric + " vs " + grads[i]);
        }
        for (int i = 0; i < x.length; i += 2) {
            float keep = x[i];
            x[i] = keep + H;
            double plus = loss.getAsDouble();
            x[i] = keep - H;
            double minus = loss.getAsDouble();
            x[i] = keep;
            double numeric = (plus - minus) / (2 * H);
            double tol = 3e-2 * Math.max(Math.abs(numeric), Math.abs(dx[i])) + 2e-5;
            assertTrue(Math.abs(numeric - dx[i]) <= tol, "dX[" + i + "]: " + numeric + " vs " + dx[i]);
        }
    }
}
