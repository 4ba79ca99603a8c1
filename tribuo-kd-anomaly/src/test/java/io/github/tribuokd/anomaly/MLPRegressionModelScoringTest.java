package io.github.tribuokd.anomaly;

import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.kernels.OneHiddenLayerScorer;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The scoring routes of {@link MLPRegressionModel}: one sample, batches on 1 and 2 threads, {@code predict} and a
 * protobuf round trip give the same bits; the fast one-hidden-layer route agrees with the generic forward pass.
 */
public class MLPRegressionModelScoringTest {

    private static final int D = 11;

    private static String[] names() {
        String[] names = new String[D];
        for (int j = 0; j < D; j++) {
            names[j] = String.format("f%02d", j);
        }
        return names;
    }

    private static MLPRegressionModel train(int[] hidden, Activation act) {
        RegressionFactory factory = new RegressionFactory();
        MutableDataset<Regressor> ds = new MutableDataset<>(new SimpleDataSourceProvenance("synthetic", factory),
                factory);
        SplittableRandom rng = new SplittableRandom(3);
        String[] names = names();
        for (int r = 0; r < 400; r++) {
            double[] v = new double[D];
            double ss = 0;
            for (int j = 0; j < D; j++) {
                v[j] = 5 + 3 * rng.nextGaussian(); // far from standardised, so that the folding matters
                ss += (v[j] - 5) * (v[j] - 5);
            }
            ds.add(new ArrayExample<>(new Regressor("score", Math.log(ss / D + 0.01)), names, v));
        }
        return new MLPRegressionTrainer(hidden, act, LossFunction.MAE, 3, 50, 1L).train(ds);
    }

    private static float[] rows(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * D];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (5 + 3 * rng.nextGaussian());
        }
        return x;
    }

    private static void checkRoutes(MLPRegressionModel model) throws Exception {
        int n = OneHiddenLayerScorer.PARALLEL_MIN_ROWS + 37;
        float[] x = rows(n, 9);
        double[] one = new double[n];
        double[] two = new double[n];
        double[] dflt = new double[n];
        model.predictMatrix(x, n, one, 1);
        model.predictMatrix(x, n, two, 2);
        model.predictMatrix(x, n, dflt);
        MLPRegressionModel back = (MLPRegressionModel) Model.deserialize(model.serialize());
        double[] restored = new double[n];
        back.predictMatrix(x, n, restored, 1);
        FeedForwardNetwork generic = model.foldedNetwork(null);
        FeedForwardNetwork.Workspace ws = generic.newWorkspace(1);
        String[] names = names();
        for (int r = 0; r < n; r++) {
            String where = model.scoringKernel() + " row " + r;
            long bits = Double.doubleToLongBits(one[r]);
            assertEquals(bits, Double.doubleToLongBits(two[r]), "2 threads, " + where);
            assertEquals(bits, Double.doubleToLongBits(dflt[r]), "default threads, " + where);
            assertEquals(bits, Double.doubleToLongBits(restored[r]), "after a protobuf round trip, " + where);
            assertEquals(bits, Double.doubleToLongBits(model.predictOne(x, r * D)), "one sample, " + where);
            double g = generic.infer(x, r * D, 1, ws)[0];
            assertEquals(g, one[r], 1e-5 * Math.max(1, Math.abs(g)), "vs the generic forward pass, " + where);
            if (r % 500 == 0) {
                double[] v = new double[D];
                for (int j = 0; j < D; j++) {
                    v[j] = x[r * D + j];
                }
                double p = model.predict(new ArrayExample<>(new Regressor("score", 0), names, v)).getOutput()
                        .getValues()[0];
                assertEquals(bits, Double.doubleToLongBits(p), "predict(Example), " + where);
            }
        }
    }

    @Test
    public void oneHiddenLayerStudentRoutesAgree() throws Exception {
        MLPRegressionModel relu = train(new int[] {16}, Activation.RELU);
        if (OneHiddenLayerScorer.vectorLanes() > 0 && OneHiddenLayerScorer.of(relu.foldedNetwork(null)) != null) {
            assertEquals("vector-api-" + (32 * OneHiddenLayerScorer.vectorLanes()) + "bit", relu.scoringKernel());
        }
        checkRoutes(relu);
        checkRoutes(train(new int[] {21}, Activation.TANH));
    }

    @Test
    public void deeperStudentsUseTheGenericPath() throws Exception {
        MLPRegressionModel deep = train(new int[] {8, 8}, Activation.RELU);
        assertEquals("generic", deep.scoringKernel());
        checkRoutes(deep);
    }
}
