package io.github.tribuokd.evaluation;

import io.github.tribuokd.anomaly.CoLearningDistillationTrainer;
import io.github.tribuokd.anomaly.ConvAutoencoderModel;
import io.github.tribuokd.anomaly.ConvAutoencoderTrainer;
import io.github.tribuokd.anomaly.ConvRegressionModel;
import io.github.tribuokd.anomaly.ConvRegressionTrainer;
import io.github.tribuokd.anomaly.DistilledAnomalyModel;
import io.github.tribuokd.anomaly.ScoreDistillationTrainer;
import io.github.tribuokd.anomaly.ScoreTransform;
import io.github.tribuokd.anomaly.StudentExposure;
import io.github.tribuokd.anomaly.images.IdxImages;
import io.github.tribuokd.anomaly.images.IdxOutlierSource;
import io.github.tribuokd.anomaly.images.OneClassImageSplit;
import io.github.tribuokd.nn.ConvNetSpec;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

/**
 * The one-class image protocol of seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection",
 * arXiv:2310.06047, 2023; docs/PAPERS.md): for each dataset and each normal class, a convolutional autoencoder teacher
 * ({@link ConvNetSpec#TEACHER}) trained on the class's training images, and the score-regression students S1–S7
 * ({@link ConvNetSpec#STUDENTS}) trained by up to four {@link Approach approaches} (offline KD, co-learning,
 * co-learning with outlier exposure, co-learning with noise exposure). Every student is evaluated on a test set of
 * {@link Settings#testSize} normal and as many anomalous images (other classes, seeded draw;
 * {@link OneClassImageSplit}) by the teacher's and its own ROC-AUC and by the earth mover's distance between the
 * teacher's and its log scores on the inliers and on the outliers, beside a random-score ROC-AUC.
 * <p>
 * This class lives in the evaluation module, not beside the image classes in {@code anomaly.images}, because the
 * protocol's figures ({@link RocAuc}, {@link EarthMoversDistance}, {@link RandomScoreBaseline}) are this module's and
 * the anomaly module cannot depend on it. The {@code image-kd} command parses options, calls {@link #run} and writes
 * the report, the cells' CSV and the seed's Figure 2.
 */
public final class OneClassImageExperiment {

    /** ε of the students' regression target ln(teacher score + ε) and of the log scores compared by EMD. */
    public static final double EPS = 1e-6;

    /** The approaches of the seed's Figure 2, in its order. */
    public enum Approach {
        /** Offline KD: the trained teacher's scores ({@link ScoreDistillationTrainer#distil}). */
        OFFLINE("offline KD"),
        /** Co-learning: teacher and students in one joint loss ({@link CoLearningDistillationTrainer}). */
        CO("co-learning"),
        /** Co-learning; the students also see images of the other dataset (outlier exposure). */
        CO_OE("co-learning + outlier exposure"),
        /** Co-learning; the students also see {@code x + 0.1 N(0,1)} copies of the normal images (noise exposure). */
        CO_NOISE("co-learning + noise exposure");

        private final String label;

        Approach(String label) {
            this.label = label;
        }

        /**
         * The approach's name in the seed's Figure 2.
         * @return E.g. "co-learning + outlier exposure".
         */
        public String label() {
            return label;
        }

        /**
         * The co-learned students' exposure for this approach.
         * @return The exposure; null for {@link #OFFLINE}, which does not co-learn.
         */
        public StudentExposure exposure() {
            switch (this) {
                case CO: return StudentExposure.NONE;
                case CO_OE: return StudentExposure.OUTLIERS;
                case CO_NOISE: return StudentExposure.NOISE;
                default: return null;
            }
        }

        /**
         * The approach named on the command line.
         * @param name offline, co, co-oe or co-noise (case and surrounding blanks ignored).
         * @return The approach.
         * @throws IllegalArgumentException For another name.
         */
        public static Approach parse(String name) {
            switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "offline": return OFFLINE;
                case "co": return CO;
                case "co-oe": return CO_OE;
                case "co-noise": return CO_NOISE;
                default: throw new IllegalArgumentException("Unknown approach '" + name
                        + "'; expected offline, co, co-oe, co-noise");
            }
        }
    }

    /**
     * The settings of a run.
     * @param students Student numbers, 1 to 7 ({@link ConvNetSpec#STUDENTS}); copied.
     * @param approaches The approaches, in report order; copied.
     * @param epochs Teacher and student epochs (the seed used 300).
     * @param numOutliers Outlier-exposure images drawn from the other dataset's training split.
     * @param testSize Normal and anomalous test images each (the seed's 1,000).
     * @param maxTrain Use at most this many training images of the normal class (0: all).
     * @param seed The seed of the split, the outlier draw, the random baseline and every network.
     */
    public record Settings(int[] students, List<Approach> approaches, int epochs, int numOutliers, int testSize,
                           int maxTrain, long seed) {
        /**
         * Checks and copies the settings.
         * @throws IllegalArgumentException When a count is out of range or a list empty.
         */
        public Settings {
            students = students.clone();
            approaches = List.copyOf(approaches);
            if (students.length == 0 || approaches.isEmpty()) {
                throw new IllegalArgumentException("students and approaches must not be empty");
            }
            for (int s : students) {
                if (s < 1 || s > ConvNetSpec.STUDENTS.size()) {
                    throw new IllegalArgumentException("students are numbered 1 to " + ConvNetSpec.STUDENTS.size()
                            + ", found " + s);
                }
            }
            if (numOutliers < 1 || testSize < 1 || maxTrain < 0 || epochs < 1) {
                throw new IllegalArgumentException("numOutliers, testSize and epochs must be positive, maxTrain >= 0");
            }
        }

        /**
         * The student numbers.
         * @return A copy.
         */
        @Override
        public int[] students() {
            return students.clone();
        }
    }

    /**
     * One evaluated student on one normal class.
     * @param dataset The dataset's folder name (MNIST, FashionMNIST).
     * @param normalClass The normal class.
     * @param approach How the student was trained.
     * @param student The student's number (1–7).
     * @param parameters The student's parameter count.
     * @param flops The student's FLOPs per image.
     * @param teacherAuc The teacher's test ROC-AUC.
     * @param studentAuc The student's test ROC-AUC.
     * @param emdInliers EMD between the teacher's and the student's log scores on the normal test images.
     * @param emdOutliers The same on the anomalous test images.
     * @param randomAuc The ROC-AUC of seeded uniform random scores on the same test set.
     */
    public record Cell(String dataset, int normalClass, Approach approach, int student, long parameters, long flops,
                       double teacherAuc, double studentAuc, double emdInliers, double emdOutliers, double randomAuc) {
        /**
         * The seed's ROC-AUC ratio.
         * @return Student ROC-AUC / teacher ROC-AUC.
         */
        public double ratio() {
            return studentAuc / teacherAuc;
        }
    }

    /**
     * Mean and sample standard deviation of a figure over the normal classes.
     * @param mean The mean (NaN when there is no cell).
     * @param sd The sample standard deviation (0 for one cell, NaN for none).
     * @param count The number of cells.
     */
    public record Summary(double mean, double sd, int count) { }

    /** Called after each normal class, e.g. to write the cells so far. */
    @FunctionalInterface
    public interface ClassListener {
        /**
         * One normal class is done.
         * @param dataset The dataset.
         * @param normalClass The class.
         * @param cellsSoFar Every cell so far, of every dataset and class (unmodifiable).
         * @throws IOException If the listener cannot write.
         */
        void classDone(String dataset, int normalClass, List<Cell> cellsSoFar) throws IOException;
    }

    private final Settings settings;
    private final BiConsumer<String, Model<?>> warnings;

    /**
     * @param settings The settings.
     * @param warnings Receives every trained model with its role (e.g. "MNIST class 3 student S7 (co-learning)") as
     *                 soon as it is trained, for its training warnings ({@code TrainingWarnings}).
     */
    public OneClassImageExperiment(Settings settings, BiConsumer<String, Model<?>> warnings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * Runs the protocol on every dataset and normal class, in order.
     * @param data The folder holding the datasets' folders (IDX files), and the other dataset of each for outlier
     *             exposure: MNIST's is FashionMNIST, every other's MNIST.
     * @param datasets The datasets' folder names.
     * @param classes The normal classes.
     * @param listener Called after each class.
     * @return Every cell, dataset by dataset, class by class, student by student, approach by approach.
     * @throws IOException If a dataset cannot be read, or the listener fails.
     */
    public List<Cell> run(Path data, List<String> datasets, int[] classes, ClassListener listener)
            throws IOException {
        List<Cell> cells = new ArrayList<>();
        for (String dataset : datasets) {
            Path dir = data.resolve(dataset);
            Path otherDir = data.resolve(dataset.equals("MNIST") ? "FashionMNIST" : "MNIST");
            IdxImages train = IdxImages.loadSplit(dir, true);
            IdxImages test = IdxImages.loadSplit(dir, false);
            IdxOutlierSource outliers = settings.approaches().contains(Approach.CO_OE)
                    ? new IdxOutlierSource(otherDir, true, settings.numOutliers(), settings.seed()) : null;
            for (int c : classes) {
                cells.addAll(runClass(dataset, c, train, test, outliers));
                listener.classDone(dataset, c, Collections.unmodifiableList(cells));
            }
        }
        return cells;
    }

    /**
     * One normal class: the teacher, then every student of every approach.
     * @param dataset The dataset's name, for the cells and the warnings' roles.
     * @param normalClass The normal class.
     * @param train The training split.
     * @param test The test split.
     * @param outliers The outlier-exposure images; may be null when {@link Approach#CO_OE} is not run.
     * @return The class's cells, student by student, approach by approach.
     */
    public List<Cell> runClass(String dataset, int normalClass, IdxImages train, IdxImages test,
                               IdxOutlierSource outliers) {
        int[] students = settings.students;
        List<Approach> approaches = settings.approaches();
        int epochs = settings.epochs();
        long seed = settings.seed();
        int testSize = settings.testSize();
        int maxTrain = settings.maxTrain();
        OneClassImageSplit split = OneClassImageSplit.create(train, test, normalClass, testSize, testSize, seed);
        MutableDataset<Event> trainData = split.trainingDataset();
        if (maxTrain > 0 && trainData.size() > maxTrain) {
            MutableDataset<Event> capped = new MutableDataset<>(trainData.getSourceProvenance(),
                    trainData.getOutputFactory());
            for (int i = 0; i < maxTrain; i++) {
                capped.add(trainData.getExample(i));
            }
            trainData = capped;
        }
        float[] testPixels = split.testPixels();
        int[] labels = split.testLabels();
        int n = labels.length;

        EnumSet<StudentExposure> exposures = EnumSet.noneOf(StudentExposure.class);
        for (Approach a : approaches) {
            if (a != Approach.OFFLINE) {
                exposures.add(a.exposure());
            }
        }
        List<ConvRegressionTrainer> studentTrainers = new ArrayList<>();
        for (int s : students) {
            studentTrainers.add(new ConvRegressionTrainer(ConvNetSpec.STUDENTS.get(s - 1), epochs, seed + s));
        }
        ConvAutoencoderTrainer teacherTrainer = new ConvAutoencoderTrainer(epochs, seed, 0.0);
        ConvAutoencoderModel teacher;
        List<CoLearningDistillationTrainer.StudentResult> coStudents = new ArrayList<>();
        if (exposures.isEmpty()) {
            teacher = teacherTrainer.train(trainData);
        } else {
            CoLearningDistillationTrainer co = new CoLearningDistillationTrainer(teacherTrainer, studentTrainers,
                    exposures, outliers);
            CoLearningDistillationTrainer.Result result = co.trainAll(trainData);
            teacher = result.teacher();
            coStudents.addAll(result.students());
        }
        String cell = dataset + " class " + normalClass;
        warnings.accept(cell + " teacher", teacher);
        double[] teacherScores = new double[n];
        teacher.scoreMatrix(testPixels, n, teacherScores);
        double teacherAuc = RocAuc.compute(teacherScores, labels);
        double randomAuc = RocAuc.compute(RandomScoreBaseline.uniformScores(n, seed + normalClass), labels);

        List<Cell> cells = new ArrayList<>();
        for (int si = 0; si < students.length; si++) {
            for (Approach a : approaches) {
                DistilledAnomalyModel model;
                if (a == Approach.OFFLINE) {
                    ScoreDistillationTrainer kd = new ScoreDistillationTrainer(null, new ConvRegressionTrainer(
                            ConvNetSpec.STUDENTS.get(students[si] - 1), epochs, seed + students[si]),
                            ScoreTransform.LOG, EPS, false, 0.0, 0.99);
                    model = kd.distil(teacher, trainData);
                } else {
                    model = find(coStudents, si, a.exposure());
                }
                warnings.accept(cell + " student S" + students[si] + " (" + a.label() + ")", model);
                double[] studentScores = new double[n];
                model.scoreMatrix(testPixels, n, studentScores);
                ConvRegressionModel student = (ConvRegressionModel) model.student();
                cells.add(new Cell(dataset, normalClass, a, students[si], student.numParameters(), student.flops(),
                        teacherAuc, RocAuc.compute(studentScores, labels),
                        emd(teacherScores, studentScores, labels, 0, EPS),
                        emd(teacherScores, studentScores, labels, 1, EPS), randomAuc));
            }
        }
        return cells;
    }

    private static DistilledAnomalyModel find(List<CoLearningDistillationTrainer.StudentResult> results, int index,
                                              StudentExposure exposure) {
        for (CoLearningDistillationTrainer.StudentResult r : results) {
            if (r.studentIndex() == index && r.exposure() == exposure) {
                return r.model();
            }
        }
        throw new IllegalStateException("No co-learned student " + index + " with " + exposure);
    }

    /**
     * EMD between teacher and student log scores, ln(S + ε), on the test images with the given label.
     * @param teacher The teacher's scores.
     * @param student The student's scores, aligned with the teacher's.
     * @param labels 0 (normal) or 1 (anomalous) per image.
     * @param label The images compared.
     * @param eps ε.
     * @return The earth mover's distance ({@link EarthMoversDistance#between}).
     */
    public static double emd(double[] teacher, double[] student, int[] labels, int label, double eps) {
        int count = 0;
        for (int l : labels) {
            if (l == label) {
                count++;
            }
        }
        double[] t = new double[count];
        double[] s = new double[count];
        int k = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                t[k] = Math.log(teacher[i] + eps);
                s[k] = Math.log(student[i] + eps);
                k++;
            }
        }
        return EarthMoversDistance.between(t, s);
    }

    /**
     * Mean and standard deviation over classes of a figure of the cells of one dataset, approach and student.
     * @param cells The cells.
     * @param dataset The dataset.
     * @param approach The approach.
     * @param student The student's number.
     * @param figure The figure, e.g. {@code Cell::ratio}.
     * @return The summary; mean and sd NaN and count 0 when no cell matches.
     */
    public static Summary summary(List<Cell> cells, String dataset, Approach approach, int student,
                                  ToDoubleFunction<Cell> figure) {
        List<Double> values = new ArrayList<>();
        for (Cell c : cells) {
            if (c.dataset().equals(dataset) && c.approach() == approach && c.student() == student) {
                values.add(figure.applyAsDouble(c));
            }
        }
        if (values.isEmpty()) {
            return new Summary(Double.NaN, Double.NaN, 0);
        }
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, values.size() - 1);
        return new Summary(mean, Math.sqrt(var), values.size());
    }

    @Override
    public String toString() {
        return "OneClassImageExperiment(students " + Arrays.toString(settings.students) + ", " + settings.approaches()
                + ", " + settings.epochs() + " epochs)";
    }
}
