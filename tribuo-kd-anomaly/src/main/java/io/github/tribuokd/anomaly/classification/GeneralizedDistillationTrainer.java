package io.github.tribuokd.anomaly.classification;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import io.github.tribuokd.nn.SoftTargetCrossEntropy;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generalized distillation with privileged information (Lopez-Paz, Bottou, Schölkopf and Vapnik, "Unifying
 * distillation and privileged information", ICLR 2016; as used by Hayashi et al., IJCNN 2019, seed 003's slides).
 * <p>
 * The teacher trains on the privileged features {@code x*} (named by {@code teacherFeatures}, default all of the
 * training data's features), which exist only at training time; the student (the MLP classifier, with no hidden layer
 * a multinomial logistic regression) trains on {@code x} (named by {@code studentFeatures}) with the slide's loss
 * <pre>
 *   f_s = argmin_f 1/n sum_i [ (1 − λ)·l(y_i, σ(f(x_i))) + λ·l(s_i, σ(f(x_i))) ],   s_i = σ(f_t(x*_i)/T)
 * </pre>
 * with {@code l} the cross entropy and λ the imitation parameter in [0, 1]. This is exactly
 * {@link SoftTargetDistillationTrainer}'s loss with α = 0: {@code (1−λ)·CE(σ(z_s), y) + λ·CE(σ(z_s), σ(z_t/T))}
 * (the student's logits are not divided by T, as in the slide).
 * <p>
 * The returned model knows only the student's features: prediction needs only {@code x}.
 * <p>
 * <b>Provenance.</b> The teacher and student trainers are {@code @Config} fields (nested in the trainer provenance);
 * the teacher model's provenance is recorded in the student's instance provenance under
 * {@link SoftTargetDistillationTrainer#TEACHER_MODEL}.
 */
public final class GeneralizedDistillationTrainer implements Trainer<Label> {

    @Config(mandatory = true, description = "The teacher trainer, trained on the privileged (teacher) features.")
    private Trainer<Label> teacher;

    @Config(mandatory = true, description = "The student trainer, trained on the student features.")
    private MLPClassificationTrainer student;

    @Config(mandatory = true, description = "Names of the student's features x (available at test time).")
    private List<String> studentFeatures;

    @Config(description = "Names of the teacher's (privileged) features x*; empty means all features.")
    private List<String> teacherFeatures = new ArrayList<>();

    @Config(description = "T: the softmax temperature of the teacher's soft targets, positive.")
    private double temperature = 1.0;

    @Config(description = "lambda: the imitation parameter in [0, 1].")
    private double lambda = 0.5;

    private int invocations = 0;

    /** For OLCUT. */
    private GeneralizedDistillationTrainer() { }

    /**
     * Creates a generalized-distillation trainer.
     * @param teacher The teacher trainer (sees the teacher features).
     * @param student The student trainer (sees the student features).
     * @param studentFeatures The student's feature names.
     * @param teacherFeatures The teacher's feature names; empty or null means every feature.
     * @param temperature T.
     * @param lambda The imitation parameter λ in [0, 1].
     */
    public GeneralizedDistillationTrainer(Trainer<Label> teacher, MLPClassificationTrainer student,
                                          List<String> studentFeatures, List<String> teacherFeatures,
                                          double temperature, double lambda) {
        this.teacher = teacher;
        this.student = student;
        this.studentFeatures = studentFeatures == null ? null : new ArrayList<>(studentFeatures);
        this.teacherFeatures = teacherFeatures == null ? new ArrayList<>() : new ArrayList<>(teacherFeatures);
        this.temperature = temperature;
        this.lambda = lambda;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (teacher == null || student == null) {
            throw new IllegalArgumentException("GeneralizedDistillationTrainer needs a teacher and a student trainer");
        }
        if (studentFeatures == null || studentFeatures.isEmpty()) {
            throw new IllegalArgumentException("GeneralizedDistillationTrainer needs at least one student feature");
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("lambda must be in [0, 1], found " + lambda);
        }
        loss();
    }

    private SoftTargetCrossEntropy loss() {
        return new SoftTargetCrossEntropy(0.0, temperature, lambda);
    }

    @Override
    public MLPClassificationModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public MLPClassificationModel train(Dataset<Label> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public MLPClassificationModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance,
                                        int invocationCount) {
        MLPClassificationTrainer.checkData(examples, "GeneralizedDistillationTrainer");
        Dataset<Label> studentData = select(examples, studentFeatures, "student");
        Dataset<Label> teacherData = teacherFeatures.isEmpty() ? examples : select(examples, teacherFeatures, "teacher");
        TrainerProvenance provenance;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            provenance = getProvenance();
            invocations++;
        }
        Model<Label> teacherModel = teacher.train(teacherData);
        ImmutableOutputInfo<Label> info = studentData.getOutputIDInfo();
        float[] logits = SoftTargetDistillationTrainer.teacherLogits(teacherModel, teacherData, info);
        Map<String, Provenance> instance = new HashMap<>(runProvenance);
        instance.put(SoftTargetDistillationTrainer.TEACHER_MODEL, teacherModel.getProvenance());
        return student.distil(studentData, info, logits, loss(), instance, provenance);
    }

    /**
     * The examples restricted to the named features, in the same order (the i-th example of the result is the
     * i-th of {@code examples}).
     * @param examples The examples.
     * @param names The feature names to keep.
     * @param who "student" or "teacher", for the message.
     * @return A new dataset with only those features.
     * @throws IllegalArgumentException naming the first feature name the data does not have.
     */
    public static Dataset<Label> select(Dataset<Label> examples, List<String> names, String who) {
        ImmutableFeatureMap fmap = examples.getFeatureIDMap();
        for (String name : names) {
            if (fmap.get(name) == null) {
                throw new IllegalArgumentException("Unknown " + who + " feature '" + name
                        + "': the training data has no feature of that name (it has " + fmap.size() + " features)");
            }
        }
        MutableDataset<Label> out = new MutableDataset<>(new SimpleDataSourceProvenance(
                who + " features of " + examples.getSourceProvenance(), examples.getOutputFactory()),
                examples.getOutputFactory());
        for (Example<Label> e : examples) {
            Map<String, Double> values = new HashMap<>();
            for (Feature f : e) {
                values.put(f.getName(), f.getValue());
            }
            String[] fn = new String[names.size()];
            double[] fv = new double[names.size()];
            for (int j = 0; j < fn.length; j++) {
                fn[j] = names.get(j);
                fv[j] = values.getOrDefault(fn[j], 0.0);
            }
            out.add(new ArrayExample<>(e.getOutput(), fn, fv));
        }
        return out;
    }

    /** @return The teacher trainer. */
    public Trainer<Label> teacher() {
        return teacher;
    }

    /** @return The student trainer. */
    public MLPClassificationTrainer student() {
        return student;
    }

    @Override
    public int getInvocationCount() {
        return invocations;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The invocation count must be non-negative, found " + invocationCount);
        }
        teacher.setInvocationCount(invocationCount);
        student.setInvocationCount(invocationCount);
        invocations = invocationCount;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "GeneralizedDistillationTrainer(teacher=" + teacher + ",student=" + student + ",studentFeatures="
                + studentFeatures + ",teacherFeatures=" + teacherFeatures + ",temperature=" + temperature
                + ",lambda=" + lambda + ")";
    }
}
