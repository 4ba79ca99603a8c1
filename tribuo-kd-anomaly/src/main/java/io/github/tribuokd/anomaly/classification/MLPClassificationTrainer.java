package io.github.tribuokd.anomaly.classification;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.anomaly.AbstractEpochTrainer;
import io.github.tribuokd.anomaly.FeatureMatrix;
import io.github.tribuokd.anomaly.FeatureStandardizer;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.ActivationLayer;
import io.github.tribuokd.nn.AdamOptimiser;
import io.github.tribuokd.nn.DenseLayer;
import io.github.tribuokd.nn.DropoutLayer;
import io.github.tribuokd.nn.FeedForwardNetwork;
import io.github.tribuokd.nn.Layer;
import io.github.tribuokd.nn.MinibatchTraining;
import io.github.tribuokd.nn.Optimiser;
import io.github.tribuokd.nn.SequentialNetwork;
import io.github.tribuokd.nn.SoftTargetCrossEntropy;
import io.github.tribuokd.nn.kernels.GradientShard;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link MLPClassificationModel}: a dense network with softmax cross-entropy, minibatches and the engine's
 * epoch loop ({@link MinibatchTraining}: deterministic shards, same weights on 1 or 2 threads).
 * <p>
 * Inputs are standardised with statistics of the training data (stored in the model and its ONNX graph). Hidden
 * layers are followed by {@link DropoutLayer}s when {@code dropout > 0}; their masks are a function of the run's
 * dropout seed, the step and the example's index, so a run is reproducible bit for bit and the masks do not depend on
 * threads.
 * <p>
 * <b>Random source of a run</b>, consumed in this order: the network's initialisation, the dropout seed (one
 * {@code nextLong}), then the shuffles. Training alone ({@link #train}) is the hard-label case of the distillation
 * loss ({@link SoftTargetCrossEntropy#hardLabels()}); {@link SoftTargetDistillationTrainer} runs the same code with
 * a teacher's logits, so α = λ = 0 distillation gives the same bits as training alone.
 */
public final class MLPClassificationTrainer extends AbstractEpochTrainer<Label, MLPClassificationModel> {

    @Config(description = "Hidden layer widths (empty for multinomial logistic regression).")
    private int[] hiddenSizes = {32};

    @Config(description = "Activation of the hidden layers (the output layer gives logits).")
    private Activation activation = Activation.RELU;

    @Config(description = "Dropout rate after every hidden layer in training, in [0, 1) (0: none).")
    private double dropout = 0.0;

    @Config(description = "The optimiser (default Adam, learning rate 1e-3).")
    private Optimiser optimiser = new AdamOptimiser(1e-3);

    /** For OLCUT. */
    private MLPClassificationTrainer() {
        super(50, 64);
    }

    /**
     * Creates a trainer.
     * @param hiddenSizes Hidden widths.
     * @param activation Hidden activation.
     * @param dropout Dropout rate after each hidden layer, in {@code [0, 1)}.
     * @param epochs Passes over the data.
     * @param batchSize Minibatch size.
     * @param optimiser The optimiser.
     * @param seed The seed.
     */
    public MLPClassificationTrainer(int[] hiddenSizes, Activation activation, double dropout, int epochs,
                                    int batchSize, Optimiser optimiser, long seed) {
        super(epochs, batchSize);
        this.hiddenSizes = hiddenSizes.clone();
        this.activation = activation;
        this.dropout = dropout;
        this.optimiser = optimiser;
        this.seed = seed;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (hiddenSizes == null || Arrays.stream(hiddenSizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("hiddenSizes must be positive, found " + Arrays.toString(hiddenSizes));
        }
        checkEpochsAndBatchSize();
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
        }
        if (activation == null || optimiser == null) {
            throw new IllegalArgumentException("activation and optimiser must be set");
        }
        super.postConfig();
    }

    @Override
    protected Optimiser copyOptimiser() {
        return optimiser.copy();
    }

    @Override
    protected void checkBeforeRun(Dataset<Label> examples) {
        checkData(examples, "MLPClassificationTrainer");
    }

    /**
     * The checks of classification training data: not empty, at least two labels, every example labelled with one
     * of them, every feature value finite.
     * @param examples The data.
     * @param who The trainer, for messages.
     */
    static void checkData(Dataset<Label> examples, String who) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException(who + ": the training dataset is empty");
        }
        ImmutableOutputInfo<Label> info = examples.getOutputIDInfo();
        if (info.size() < 2) {
            throw new IllegalArgumentException(who + ": the training data hold " + info.size() + " label"
                    + (info.size() == 1 ? " (" + info.getOutput(0).getLabel() + ")" : "")
                    + "; a classifier needs at least two");
        }
        int i = 0;
        for (Example<Label> e : examples) {
            if (info.getID(e.getOutput()) < 0) {
                throw new IllegalArgumentException(who + ": example " + i + " has label '" + e.getOutput().getLabel()
                        + "', not in the output domain " + info.getDomain());
            }
            i++;
        }
        FeatureMatrix.toMatrix(examples, examples.getFeatureIDMap()); // refuses missing, unknown and non-finite values
    }

    @Override
    protected MLPClassificationModel fit(Dataset<Label> examples, Map<String, Provenance> runProvenance, Run run) {
        return fit(examples, examples.getOutputIDInfo(), null, SoftTargetCrossEntropy.hardLabels(), runProvenance,
                run, run.provenance());
    }

    /**
     * Trains a student on the distillation loss: one run of this trainer (its random source, optimiser and
     * invocation count), whose model records {@code trainerProvenance} (the distillation trainer's) instead of this
     * trainer's.
     * @param examples The training data (already checked by the caller with {@link #checkData}).
     * @param outputInfo The data's label domain ({@code examples.getOutputIDInfo()}), whose ids order the logits;
     *                   the model keeps it.
     * @param teacherLogits {@code [n, k]} the teacher's logits in {@code outputInfo}'s id order, or null when the
     *                      loss needs none.
     * @param loss The loss.
     * @param runProvenance Instance provenance of the model (e.g. the teacher model's).
     * @param trainerProvenance The trainer provenance of the model.
     * @return The student.
     */
    MLPClassificationModel distil(Dataset<Label> examples, ImmutableOutputInfo<Label> outputInfo,
                                  float[] teacherLogits, SoftTargetCrossEntropy loss,
                                  Map<String, Provenance> runProvenance, TrainerProvenance trainerProvenance) {
        checkBeforeRun(examples);
        Run run = startRun(INCREMENT_INVOCATION_COUNT);
        return fit(examples, outputInfo, teacherLogits, loss, runProvenance, run, trainerProvenance);
    }

    private MLPClassificationModel fit(Dataset<Label> examples, ImmutableOutputInfo<Label> outputInfo,
                                       float[] teacherLogits, SoftTargetCrossEntropy loss,
                                       Map<String, Provenance> runProvenance, Run run,
                                       TrainerProvenance trainerProvenance) {
        SplittableRandom rng = run.rng();
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        int n = examples.size();
        int d = featureMap.size();
        int k = outputInfo.size();
        if (teacherLogits != null && teacherLogits.length != n * k) {
            throw new IllegalArgumentException("Expected " + n + "×" + k + " teacher logits, found "
                    + teacherLogits.length);
        }
        float[] x = FeatureMatrix.toMatrix(examples, featureMap);
        int[] labels = new int[n];
        int row = 0;
        for (Example<Label> e : examples) {
            labels[row++] = outputInfo.getID(e.getOutput());
        }
        FeatureStandardizer standardizer = FeatureStandardizer.fit(x, n, d);
        standardizer.applyInPlace(x, n);

        int[] sizes = new int[hiddenSizes.length + 2];
        sizes[0] = d;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[sizes.length - 1] = k;
        // initialised as a FeedForwardNetwork of these sizes would be (dropout layers have no parameters)
        FeedForwardNetwork trained = new FeedForwardNetwork(sizes, activation, Activation.IDENTITY);
        trained.initialise(rng);
        long dropoutSeed = rng.nextLong();
        double rate = dropout;
        Activation act = activation;
        SequentialNetwork trainingNetwork = new SequentialNetwork(() -> trainingLayers(sizes, act, rate, dropoutSeed));
        trainingNetwork.setParameters(trained.parameters());
        float[] parameters = trainingNetwork.parameters();
        MinibatchTraining.train(parameters,
                capacity -> new Shard(trainingNetwork, x, labels, teacherLogits, loss, k, rate > 0, capacity),
                n, 1, run.optimiser(), epochs, batchSize, rng, "MLP classifier", MinibatchTraining.DEFAULT_THREADS);

        trained.setParameters(parameters);
        ModelProvenance provenance = new ModelProvenance(MLPClassificationModel.class.getName(),
                OffsetDateTime.now(), examples.getProvenance(), trainerProvenance, runProvenance);
        return new MLPClassificationModel("mlp-classification", provenance, featureMap, outputInfo, trained,
                standardizer);
    }

    /**
     * The training form of the network: dense layers as in a {@link FeedForwardNetwork} of the same sizes (the same
     * initialisation and parameter layout), each hidden activation followed by dropout when {@code rate > 0}, the
     * last layer linear.
     * @param sizes The widths, input first.
     * @param activation The hidden activation.
     * @param rate The dropout rate.
     * @param seed The dropout seed (layer {@code i}'s masks use {@code seed + i}).
     * @return New layers.
     */
    static List<Layer> trainingLayers(int[] sizes, Activation activation, double rate, long seed) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            boolean last = i + 2 == sizes.length;
            Activation act = last ? Activation.IDENTITY : activation;
            layers.add(new DenseLayer(sizes[i], sizes[i + 1], act));
            layers.add(new ActivationLayer(sizes[i + 1], act));
            if (!last && rate > 0) {
                layers.add(new DropoutLayer(sizes[i + 1], rate, seed + i));
            }
        }
        return layers;
    }

    /**
     * One shard of a minibatch: gathers its rows (inputs, labels, teacher logits), runs the training-form forward
     * pass (dropout keys {@code step << 32 | example}), the loss and the backward pass into its own buffer.
     */
    static final class Shard implements GradientShard {
        private final SequentialNetwork network;
        private final float[] inputs;
        private final int[] labels;
        private final float[] teacherLogits;
        private final SoftTargetCrossEntropy loss;
        private final int k;
        private final boolean keyed;
        private final SequentialNetwork.Workspace ws;
        private final float[] x;
        private final int[] y;
        private final float[] t;
        private final long[] keys;
        private final float[] dOut;
        private final float[] grads;
        /** The number of steps so far: every shard is computed once per step. */
        private long step;

        Shard(SequentialNetwork network, float[] inputs, int[] labels, float[] teacherLogits,
              SoftTargetCrossEntropy loss, int k, boolean keyed, int capacity) {
            this.network = network;
            this.inputs = inputs;
            this.labels = labels;
            this.teacherLogits = teacherLogits;
            this.loss = loss;
            this.k = k;
            this.keyed = keyed;
            ws = network.newWorkspace(capacity);
            x = new float[capacity * network.inputSize()];
            y = new int[capacity];
            t = teacherLogits == null ? null : new float[capacity * k];
            keys = new long[capacity];
            dOut = new float[capacity * k];
            grads = new float[network.numParameters()];
        }

        @Override
        public float[] gradients() {
            return grads;
        }

        @Override
        public double compute(int[] order, int from, int to, int batchSize) {
            long thisStep = step++;
            Arrays.fill(grads, 0f);
            int rows = to - from;
            if (rows == 0) {
                return 0.0;
            }
            int in = network.inputSize();
            for (int r = 0; r < rows; r++) {
                int idx = order[from + r];
                System.arraycopy(inputs, idx * in, x, r * in, in);
                y[r] = labels[idx];
                if (t != null) {
                    System.arraycopy(teacherLogits, idx * k, t, r * k, k);
                }
                keys[r] = thisStep << 32 | idx;
            }
            float[] logits = network.forward(x, rows, ws, keyed ? keys : null);
            double sum = loss.lossAndGradient(logits, y, t, dOut, rows, k, batchSize);
            network.backward(dOut, rows, ws, grads, false);
            return sum;
        }
    }

    @Override
    public String toString() {
        return "MLPClassificationTrainer(hiddenSizes=" + Arrays.toString(hiddenSizes) + ",activation=" + activation
                + ",dropout=" + dropout + ",epochs=" + epochs + ",batchSize=" + batchSize + ",optimiser=" + optimiser
                + ",seed=" + seed + ")";
    }
}
