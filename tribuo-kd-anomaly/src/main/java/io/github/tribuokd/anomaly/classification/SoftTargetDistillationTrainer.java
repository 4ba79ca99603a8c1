package io.github.tribuokd.anomaly.classification;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.SoftTargetCrossEntropy;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Soft-target knowledge distillation for classification (Hinton, Vinyals and Dean 2015; seed 003): any Tribuo
 * classification teacher, a {@link MLPClassificationModel} student trained on
 * <pre>
 *   L = (1 − α − λ)·CE(σ(z_s), y) + α·T²·CE(σ(z_s/T), σ(z_t/T)) + λ·CE(σ(z_s), σ(z_t/T))
 * </pre>
 * ({@link SoftTargetCrossEntropy}). With the default {@code λ = 0} this is Hinton's loss
 * {@code (1 − α)·CE(σ(z_s), y) + α·T²·CE(σ(z_s/T), σ(z_t/T))}; λ is the imitation weight of generalized
 * distillation (Lopez-Paz et al. 2016, Hayashi et al. 2019; seed 003's second method), whose student term is taken
 * at temperature 1 and carries no T².
 * <p>
 * <b>The teacher's logits.</b> The teacher is a {@code Trainer<Label>} ({@link #train}) or a trained
 * {@code Model<Label>} ({@link #distil}); its predictions must carry a score for every label
 * ({@link Prediction#getOutputScores()}). When the teacher's model {@link Model#generatesProbabilities() generates
 * probabilities} the logits are {@code z_t = ln p} (a probability of 0 gives {@code −∞}, i.e. a soft target of
 * exactly 0; softmax is invariant to the constant that {@code ln p} loses). Otherwise the scores are used as the
 * logits as they are (e.g. the margins of a linear SVM): the softmax of scores that are not logits is still a
 * distribution over the labels, but not one the teacher was trained to give, so prefer teachers that give
 * probabilities.
 * <p>
 * <b>Refused</b> (an {@link IllegalArgumentException} saying why): data with fewer than two labels, examples with
 * missing or non-finite feature values (checked before the teacher trains), a teacher whose predictions carry no
 * scores or a non-finite or negative one, and a teacher whose labels differ from the data's.
 * <p>
 * <b>Provenance.</b> The teacher trainer and the student trainer are {@code @Config} fields, so this trainer's
 * provenance (recorded with each student model) nests both, with α, T and λ; the student model's instance
 * provenance adds the full provenance of the teacher model under {@value #TEACHER_MODEL}. The student trains with
 * its own random source and invocation count: α = λ = 0 gives the same model, bit for bit, as the student trainer
 * alone.
 */
public final class SoftTargetDistillationTrainer implements Trainer<Label> {

    /** The instance-provenance key of the teacher model's provenance. */
    public static final String TEACHER_MODEL = "teacher-model";

    @Config(description = "The teacher trainer (optional when the teacher model is given to distil).")
    private Trainer<Label> teacher;

    @Config(mandatory = true, description = "The student trainer.")
    private MLPClassificationTrainer student;

    @Config(description = "alpha: weight of Hinton's soft term, in [0, 1].")
    private double alpha = 0.5;

    @Config(description = "T: the softmax temperature of the soft targets, positive.")
    private double temperature = 2.0;

    @Config(description = "lambda: weight of generalized distillation's imitation term, in [0, 1 - alpha].")
    private double lambda = 0.0;

    private int invocations;

    /** For OLCUT. */
    private SoftTargetDistillationTrainer() { }

    /**
     * Creates a trainer with Hinton's loss (λ = 0).
     * @param teacher The teacher trainer, or null to use only {@link #distil}.
     * @param student The student trainer.
     * @param alpha α ∈ [0, 1].
     * @param temperature T &gt; 0.
     */
    public SoftTargetDistillationTrainer(Trainer<Label> teacher, MLPClassificationTrainer student, double alpha,
                                         double temperature) {
        this(teacher, student, alpha, temperature, 0.0);
    }

    /**
     * Creates a trainer.
     * @param teacher The teacher trainer, or null to use only {@link #distil}.
     * @param student The student trainer.
     * @param alpha α ∈ [0, 1].
     * @param temperature T &gt; 0.
     * @param lambda λ ∈ [0, 1 − α].
     */
    public SoftTargetDistillationTrainer(Trainer<Label> teacher, MLPClassificationTrainer student, double alpha,
                                         double temperature, double lambda) {
        this.teacher = teacher;
        this.student = student;
        this.alpha = alpha;
        this.temperature = temperature;
        this.lambda = lambda;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (student == null) {
            throw new IllegalArgumentException("The student trainer is not set");
        }
        loss(); // checks alpha, temperature and lambda
    }

    private SoftTargetCrossEntropy loss() {
        return new SoftTargetCrossEntropy(alpha, temperature, lambda);
    }

    @Override
    public MLPClassificationModel train(Dataset<Label> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public MLPClassificationModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains the teacher on the examples, then distils it into the student on the same examples.
     * @param examples The training data.
     * @param runProvenance Extra instance provenance for the student model.
     * @param invocationCount The invocation count to set first (also set on the teacher and student trainers), or
     *                        {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The student.
     */
    @Override
    public MLPClassificationModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance,
                                        int invocationCount) {
        if (teacher == null) {
            throw new IllegalStateException("SoftTargetDistillationTrainer has no teacher trainer; give a trained "
                    + "teacher model to distil(teacher, examples)");
        }
        MLPClassificationTrainer.checkData(examples, "SoftTargetDistillationTrainer");
        TrainerProvenance provenance = start(invocationCount);
        Model<Label> teacherModel = teacher.train(examples);
        ImmutableOutputInfo<Label> info = examples.getOutputIDInfo();
        return distil(teacherModel, examples, info, teacherLogits(teacherModel, examples, info), runProvenance,
                provenance);
    }

    /**
     * Distils a trained teacher into the student on the examples.
     * @param teacherModel The teacher (a model of the examples' labels whose predictions carry scores).
     * @param examples The training data.
     * @return The student.
     */
    public MLPClassificationModel distil(Model<Label> teacherModel, Dataset<Label> examples) {
        return distil(teacherModel, examples, Collections.emptyMap());
    }

    /**
     * Distils a trained teacher into the student on the examples.
     * @param teacherModel The teacher (a model of the examples' labels whose predictions carry scores).
     * @param examples The training data.
     * @param runProvenance Extra instance provenance for the student model.
     * @return The student.
     */
    public MLPClassificationModel distil(Model<Label> teacherModel, Dataset<Label> examples,
                                         Map<String, Provenance> runProvenance) {
        MLPClassificationTrainer.checkData(examples, "SoftTargetDistillationTrainer");
        ImmutableOutputInfo<Label> info = examples.getOutputIDInfo();
        float[] logits = teacherLogits(teacherModel, examples, info); // a refused teacher is not an invocation
        return distil(teacherModel, examples, info, logits, runProvenance, start(INCREMENT_INVOCATION_COUNT));
    }

    private synchronized TrainerProvenance start(int invocationCount) {
        if (invocationCount != INCREMENT_INVOCATION_COUNT) {
            setInvocationCount(invocationCount);
        }
        TrainerProvenance provenance = getProvenance();
        invocations++;
        return provenance;
    }

    private MLPClassificationModel distil(Model<Label> teacherModel, Dataset<Label> examples,
                                          ImmutableOutputInfo<Label> info, float[] logits,
                                          Map<String, Provenance> runProvenance, TrainerProvenance provenance) {
        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(TEACHER_MODEL, teacherModel.getProvenance());
        return student.distil(examples, info, logits, loss(), instance, provenance);
    }

    /**
     * The teacher's logits of every example, {@code [n, k]} in the label-id order of {@code info}: {@code ln p}
     * for a teacher that gives probabilities, its scores otherwise.
     * @param teacherModel The teacher.
     * @param examples The examples.
     * @param info The examples' label domain, which the student will use.
     * @return The logits.
     */
    static float[] teacherLogits(Model<Label> teacherModel, Dataset<Label> examples, ImmutableOutputInfo<Label> info) {
        int k = info.size();
        Set<String> dataLabels = labels(info);
        Set<String> teacherLabels = labels(teacherModel.getOutputIDInfo());
        if (!dataLabels.equals(teacherLabels)) {
            throw new IllegalArgumentException("The teacher's labels " + teacherLabels + " differ from the data's "
                    + dataLabels + "; the teacher must be a model of the same labels");
        }
        boolean probabilities = teacherModel.generatesProbabilities();
        List<Prediction<Label>> predictions = teacherModel.predict(examples);
        float[] logits = new float[examples.size() * k];
        String[] names = new String[k];
        for (int id = 0; id < k; id++) {
            names[id] = info.getOutput(id).getLabel();
        }
        int row = 0;
        for (Prediction<Label> p : predictions) {
            Map<String, Label> scores = p.getOutputScores();
            if (scores == null || scores.isEmpty()) {
                throw new IllegalArgumentException("The teacher (" + teacherModel.getClass().getSimpleName()
                        + ") gives no scores: its prediction of example " + row + " is only the label '"
                        + p.getOutput().getLabel() + "'; soft-target distillation needs a score for every label");
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int id = 0; id < k; id++) {
                Label l = scores.get(names[id]);
                if (l == null) {
                    throw new IllegalArgumentException("The teacher gives no score for label '" + names[id]
                            + "' in its prediction of example " + row + " (scores: " + scores.keySet() + ")");
                }
                double s = l.getScore();
                double z;
                if (probabilities) {
                    if (!(s >= 0 && s <= 1 + 1e-6)) {
                        throw new IllegalArgumentException("The teacher's probability of '" + names[id]
                                + "' for example " + row + " is " + s + ", not in [0, 1]");
                    }
                    z = Math.log(s);
                } else {
                    if (!Double.isFinite(s)) {
                        throw new IllegalArgumentException("The teacher's score of '" + names[id] + "' for example "
                                + row + " is " + s + ", not finite");
                    }
                    z = s;
                }
                logits[row * k + id] = (float) z;
                max = Math.max(max, z);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("The teacher gives probability 0 to every label for example " + row);
            }
            row++;
        }
        return logits;
    }

    private static Set<String> labels(ImmutableOutputInfo<Label> info) {
        Set<String> names = new TreeSet<>();
        for (Label l : info.getDomain()) {
            names.add(l.getLabel());
        }
        return names;
    }

    /**
     * The teacher trainer.
     * @return The teacher trainer, or null.
     */
    public Trainer<Label> teacher() {
        return teacher;
    }

    /**
     * The student trainer.
     * @return The student trainer.
     */
    public MLPClassificationTrainer student() {
        return student;
    }

    @Override
    public int getInvocationCount() {
        return invocations;
    }

    /**
     * Sets the invocation count of this trainer, the teacher trainer and the student trainer, so that the next run
     * is the {@code count}-th run of fresh trainers.
     * @param invocationCount The count.
     */
    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The invocation count must be non-negative, found " + invocationCount);
        }
        if (teacher != null) {
            teacher.setInvocationCount(invocationCount);
        }
        student.setInvocationCount(invocationCount);
        invocations = invocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "SoftTargetDistillationTrainer(teacher=" + teacher + ",student=" + student + ",alpha=" + alpha
                + ",temperature=" + temperature + ",lambda=" + lambda + ")";
    }
}
