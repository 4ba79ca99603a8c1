package io.github.tribuokd.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.Batchifier;
import ai.djl.util.Pair;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.LossFunction;
import io.github.tribuokd.nn.MinibatchTraining;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benchmark 1: training throughput of the dense autoencoder 38-64-16-64-38 (tanh hidden, linear output, MSE, Adam
 * lr 1e-3, batch 256, reshuffled every epoch) on the same 50,000 seeded samples.
 */
final class DenseAeBench {

    static final int[] SIZES = {38, 64, 16, 64, 38};
    static final int N = 50_000;
    static final int BATCH = 256;
    static final long DATA_SEED = 42L;

    private DenseAeBench() { }

    static float[] data() {
        return SyntheticData.lowRank(N, SIZES[0], DATA_SEED);
    }

    /**
     * One thread setting t, in one JVM: ours on t threads, libtorch (DJL) on t intra-op threads with the low-level
     * loop and with DJL's Trainer; repetitions interleaved (ours, NDArray loop, Trainer, ours, ...).
     */
    static Map<String, Object> run(Map<String, String> args) throws Exception {
        int threads = Bench.intArg(args, "threads", 1);
        int epochs = Bench.intArg(args, "epochs", 2);
        int reps = Bench.intArg(args, "reps", 7);
        DjlSupport.configure(threads);
        Map<String, Object> m = DjlSupport.engineInfo(threads);
        float[] x = data();
        FeedForwardNetwork net = new FeedForwardNetwork(SIZES, Activation.TANH, Activation.IDENTITY);
        net.initialise(new SplittableRandom(7));
        m.put("ours_params", net.numParameters());
        m.put("kernels", io.github.tribuokd.nn.kernels.Kernels.get().name());
        double[] loss = new double[3];
        SplittableRandom rngOurs = new SplittableRandom(11);
        SplittableRandom rngLow = new SplittableRandom(11);
        SplittableRandom rngEasy = new SplittableRandom(11);
        try (DjlDenseAe low = new DjlDenseAe(false); DjlDenseAe easy = new DjlDenseAe(true)) {
            m.put("djl_params", low.numParameters());
            Bench.Timing[] t = Bench.interleaved(5, reps,
                () -> {
                    double[] h = MinibatchTraining.train(net, x, x, N, LossFunction.MSE, new AdamOptimiser(1e-3),
                            epochs, BATCH, rngOurs, "dense-ae", threads);
                    loss[0] = h[h.length - 1];
                },
                () -> loss[1] = low.train(x, N, epochs, rngLow),
                () -> loss[2] = easy.train(x, N, epochs, rngEasy));
            String[] names = {"ours", "ndarray", "trainer"};
            for (int i = 0; i < names.length; i++) {
                m.put(names[i] + "_samples_per_s", (double) N * epochs / t[i].medianSeconds());
                m.put(names[i] + "_best_samples_per_s", (double) N * epochs / t[i].minSeconds());
                m.put(names[i] + "_worst_samples_per_s", (double) N * epochs / t[i].maxSeconds());
                m.put(names[i] + "_cpu_per_wall", t[i].cpuPerWall());
                m.put(names[i] + "_final_loss", loss[i]);
                m.put(names[i] + "_rep_seconds", t[i].seconds());
            }
            Bench.log("dense AE, %d thread(s): ours %.0f, DJL NDArray %.0f, DJL Trainer %.0f samples/s", threads,
                    m.get("ours_samples_per_s"), m.get("ndarray_samples_per_s"), m.get("trainer_samples_per_s"));
        }
        m.put("epochs_per_rep", epochs);
        m.put("reps", reps);
        return m;
    }

    /**
     * The same autoencoder in DJL: {@code SequentialBlock} of {@code Linear} and tanh, Xavier-uniform weights, zero
     * biases, Adam (lr 1e-3, β 0.9/0.999, ε 1e-8), loss {@code mean((y − x)²)}.
     * Either the low-level loop (NDArray + GradientCollector + Optimizer.update, what a hand-written PyTorch loop
     * does) or DJL's own Trainer ({@code EasyTrain.trainBatch} + {@code trainer.step()}).
     */
    static final class DjlDenseAe implements AutoCloseable {
        private final boolean useTrainer;
        private final NDManager manager;
        private final SequentialBlock block;
        private final Model model;
        private final Trainer trainer;
        private final ParameterStore store;
        private final Optimizer optimizer;
        private final List<Pair<String, Parameter>> params = new ArrayList<>();
        private final float[] buf = new float[BATCH * SIZES[0]];
        private int[] order;

        DjlDenseAe(boolean useTrainer) {
            this.useTrainer = useTrainer;
            block = new SequentialBlock();
            for (int i = 1; i < SIZES.length; i++) {
                block.add(Linear.builder().setUnits(SIZES[i]).build());
                if (i + 1 < SIZES.length) {
                    block.add(ai.djl.nn.Activation.tanhBlock());
                }
            }
            block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.AVG, 3f), Parameter.Type.WEIGHT);
            optimizer = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optBeta1(0.9f)
                    .optBeta2(0.999f).optEpsilon(1e-8f).build();
            if (useTrainer) {
                model = Model.newInstance("dense-ae", Device.cpu(), "PyTorch");
                model.setBlock(block);
                DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss("mse", 1f))
                        .optOptimizer(optimizer).optDevices(new Device[] {Device.cpu()});
                trainer = model.newTrainer(cfg);
                trainer.initialize(new Shape(BATCH, SIZES[0]));
                manager = trainer.getManager();
                store = null;
            } else {
                model = null;
                trainer = null;
                manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                block.initialize(manager, DataType.FLOAT32, new Shape(BATCH, SIZES[0]));
                store = new ParameterStore(manager, false);
                for (Pair<String, Parameter> p : block.getParameters()) {
                    p.getValue().getArray().setRequiresGradient(true);
                    params.add(p);
                }
            }
        }

        long numParameters() {
            long n = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                n += p.getValue().getArray().size();
            }
            return n;
        }

        /** Trains {@code epochs} passes; returns the mean loss of the last epoch. */
        double train(float[] x, int n, int epochs, SplittableRandom rng) throws Exception {
            int d = SIZES[0];
            if (order == null) {
                order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
            }
            double lossSum = 0;
            for (int e = 0; e < epochs; e++) {
                for (int i = n - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                lossSum = 0;
                for (int first = 0; first < n; first += BATCH) {
                    int size = Math.min(BATCH, n - first);
                    float[] rows = size == BATCH ? buf : new float[size * d];
                    for (int r = 0; r < size; r++) {
                        System.arraycopy(x, order[first + r] * d, rows, r * d, d);
                    }
                    lossSum += (useTrainer ? stepTrainer(rows, size) : stepLowLevel(rows, size)) * size;
                }
            }
            return lossSum / n;
        }

        private double stepLowLevel(float[] rows, int size) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray xb = sub.create(rows, new Shape(size, SIZES[0]));
                double loss;
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray y = block.forward(store, new NDList(xb), true).singletonOrThrow();
                    NDArray l = y.sub(xb).square().mean();
                    gc.backward(l);
                    loss = l.getFloat();
                }
                for (Pair<String, Parameter> p : params) {
                    NDArray w = p.getValue().getArray();
                    try (NDArray g = w.getGradient()) {
                        optimizer.update(p.getValue().getId(), w, g);
                    }
                }
                return loss;
            }
        }

        private double stepTrainer(float[] rows, int size) {
            try (NDManager sub = manager.newSubManager()) {
                NDArray xb = sub.create(rows, new Shape(size, SIZES[0]));
                Batch batch = new Batch(sub, new NDList(xb), new NDList(xb), size, Batchifier.STACK,
                        Batchifier.STACK, 0, 0);
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
                return Double.NaN;
            }
        }

        @Override
        public void close() {
            if (trainer != null) {
                trainer.close();
                model.close();
            } else {
                manager.close();
            }
        }
    }
}
