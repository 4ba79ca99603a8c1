package io.github.tribuokd.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The LSTM encoder-decoder autoencoder in libtorch 2.7.1 through DJL: DJL's {@code LSTM} blocks (one layer,
 * batch-first, two bias vectors: {@code torch::lstm} underneath) and a {@code Linear} block, trained with the
 * low-level loop (GradientCollector + Optimizer.update), which the dense benchmark shows is DJL's faster way.
 * Thread settings are per JVM ({@link DjlSupport#configure}).
 */
final class DjlLstmAutoencoder implements SequenceAutoencoderBench {

    private NDManager manager;
    private LSTM encoder;
    private LSTM decoder;
    private Linear output;
    private ParameterStore store;
    private Optimizer optimizer;
    private final List<Pair<String, Parameter>> params = new ArrayList<>();
    private float[] x;
    private float[] decIn;
    private float[] target;
    private int features;
    private int window;
    private int batch;
    private int numWindows;
    private int next;

    @Override
    public String name() {
        return "libtorch 2.7.1 (DJL 0.35.1)";
    }

    @Override
    public void setUp(int features, int window, int hidden, int batch, float[] windows, int numWindows, long seed,
                      int threads) {
        this.features = features;
        this.window = window;
        this.batch = batch;
        this.numWindows = numWindows;
        this.x = windows;
        float[][] tf = teacherForcing(windows, numWindows, window, features);
        this.decIn = tf[0];
        this.target = tf[1];
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        encoder = LSTM.builder().setStateSize(hidden).setNumLayers(1).optReturnState(true).optBatchFirst(true).build();
        decoder = LSTM.builder().setStateSize(hidden).setNumLayers(1).optReturnState(true).optBatchFirst(true).build();
        output = Linear.builder().setUnits(features).build();
        encoder.initialize(manager, DataType.FLOAT32, new Shape(batch, window, features));
        decoder.initialize(manager, DataType.FLOAT32, new Shape(batch, window, features));
        output.initialize(manager, DataType.FLOAT32, new Shape(batch, window, hidden));
        store = new ParameterStore(manager, false);
        optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optBeta1(0.9f).optBeta2(0.999f)
                .optEpsilon(1e-8f).build();
        for (AbstractBlock b : new AbstractBlock[] {encoder, decoder, output}) {
            for (Pair<String, Parameter> p : b.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
                params.add(p);
            }
        }
    }

    /**
     * Decoder inputs and targets for batch-major windows: target = the reversed window, decoder input = the target
     * shifted right by one step (zeros first).
     * @return {decoderInput, target}.
     */
    static float[][] teacherForcing(float[] windows, int n, int steps, int features) {
        float[] target = new float[windows.length];
        float[] in = new float[windows.length];
        for (int w = 0; w < n; w++) {
            int base = w * steps * features;
            for (int t = 0; t < steps; t++) {
                System.arraycopy(windows, base + (steps - 1 - t) * features, target, base + t * features, features);
            }
            System.arraycopy(target, base, in, base + features, (steps - 1) * features);
        }
        return new float[][] {in, target};
    }

    @Override
    public long numParameters() {
        long n = 0;
        for (Pair<String, Parameter> p : params) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    private NDArray slice(NDManager sub, float[] src, int first) {
        int len = batch * window * features;
        return sub.create(Arrays.copyOfRange(src, first * window * features, first * window * features + len),
                new Shape(batch, window, features));
    }

    private NDArray forward(NDManager sub, int first, boolean training) {
        NDArray xb = slice(sub, x, first);
        NDArray inb = slice(sub, decIn, first);
        NDArray tb = slice(sub, target, first);
        NDList enc = encoder.forward(store, new NDList(xb), training);
        NDList dec = decoder.forward(store, new NDList(inb, enc.get(1), enc.get(2)), training);
        NDArray y = output.forward(store, new NDList(dec.get(0)), training).singletonOrThrow();
        return y.sub(tb).square().mean();
    }

    private int nextBatch() {
        if (next + batch > numWindows) {
            next = 0;
        }
        int first = next;
        next += batch;
        return first;
    }

    @Override
    public double trainBatches(int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            int first = nextBatch();
            try (NDManager sub = manager.newSubManager()) {
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = forward(sub, first, true);
                    gc.backward(loss);
                    sum += loss.getFloat();
                }
                for (Pair<String, Parameter> p : params) {
                    NDArray w = p.getValue().getArray();
                    try (NDArray g = w.getGradient()) {
                        optimizer.update(p.getValue().getId(), w, g);
                    }
                }
            }
        }
        return sum / count;
    }

    @Override
    public double inferBatches(int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            int first = nextBatch();
            try (NDManager sub = manager.newSubManager()) {
                sum += forward(sub, first, false).getFloat();
            }
        }
        return sum / count;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
