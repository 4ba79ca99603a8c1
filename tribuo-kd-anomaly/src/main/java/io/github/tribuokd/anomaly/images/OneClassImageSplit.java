// Over 600 lines: one idea, seed 001 (Pol et al., "Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md)'s one-class split (normal class, outlier and noise exposure sets, the
// test mix, the datasets it builds with their ImageDataProvenance); its parts share the same index bookkeeping.
package io.github.tribuokd.anomaly.images;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one-class protocol of Pol et al. ("Knowledge Distillation for Anomaly Detection") on MNIST-like data: one
 * class {@code c} is normal, every other class is anomalous. Immutable.
 * <ul>
 *     <li><b>Training set</b>: the images of class {@code c} of the training split, in file order (minus any
 *     top-up images, see below). All are normal; no anomaly is seen in training.</li>
 *     <li><b>Normal test images</b> ({@code normalTestCount}, 1,000 by default): the first
 *     {@code normalTestCount} images of class {@code c} of the test split, in file order. When the test split has
 *     fewer (MNIST digit 5 has 892 test images, digit 4 has 982, ...; Fashion-MNIST has exactly 1,000 per class),
 *     the shortfall is <em>topped up from the end of class {@code c}'s training images</em>: the last
 *     {@code normalTestCount - available} training images of class {@code c} (in file order) become normal test
 *     images and are <em>removed from the training set</em>, so no image is both trained on and tested. The
 *     number moved is {@link #normalFromTraining()}, is recorded in the datasets' provenance under
 *     {@link ImageDataProvenance#NORMAL_FROM_TRAIN} and is logged at INFO level.</li>
 *     <li><b>Anomalous test images</b> ({@code anomalyTestCount}, 1,000 by default): drawn uniformly without
 *     replacement, with {@code new SplittableRandom(seed)} (a partial Fisher-Yates shuffle of the candidates in
 *     file order), from the test-split images of every class other than {@code c}. Anomalies never come from the
 *     training split and never have class {@code c}.</li>
 * </ul>
 * <b>Test order</b>: the normal images first (test-split images in file order, then the top-up training images in
 * file order), then the anomalies in ascending test-file order. The order is not shuffled; shuffle downstream if
 * an order-sensitive consumer needs it. The same inputs and seed always give the same split.
 * <p>
 * <b>Features</b>: one per pixel, named {@code "p"} followed by the row-major pixel index zero-padded to the
 * width of {@code rows * cols - 1} ({@code p000 ... p783} for 28x28), so that Tribuo's name-sorted feature ids
 * equal the pixel indices (see {@link #featureNames(int)}). Values are {@code pixel / 255f} (a float widened to
 * double, so the Tribuo datasets and the float fast paths {@link #trainingPixels()} and {@link #testPixels()}
 * hold identical values). Every example carries <em>all</em> pixels, zeros included: {@link ArrayExample} and
 * {@link MutableDataset} keep zero-valued features, so every example is dense, the feature map has all
 * {@code rows * cols} features even if a pixel is 0 in every image (MNIST's corners), and dense readers such as
 * {@code FeatureMatrix} (which reject absent features) accept the examples.
 * <p>
 * Outputs are built explicitly: {@code Event(EXPECTED)} for normal images, {@code Event(ANOMALOUS)} for
 * anomalies. Every dataset carries an {@link ImageDataProvenance}.
 */
public final class OneClassImageSplit {

    private static final Logger logger = Logger.getLogger(OneClassImageSplit.class.getName());

    /** The default number of normal test images, as in the seed paper. */
    public static final int DEFAULT_NORMAL_TEST_COUNT = 1000;
    /** The default number of anomalous test images, as in the seed paper. */
    public static final int DEFAULT_ANOMALY_TEST_COUNT = 1000;

    private static final String PIXEL_SCALING = "uint8 pixel / 255f, one feature per pixel, row-major, zeros kept";

    /** The IDX split an image comes from. */
    public enum Source {
        /** The training split. */
        TRAIN,
        /** The test split. */
        TEST
    }

    /** One test image: where it comes from and whether it is an anomaly. Immutable. */
    public static final class TestEntry {
        private final Source source;
        private final int index;
        private final boolean anomaly;

        /**
         * Creates an entry.
         *
         * @param source  The split the image comes from.
         * @param index   The image's index in that split.
         * @param anomaly True for an anomaly, false for a normal image.
         */
        public TestEntry(Source source, int index, boolean anomaly) {
            this.source = Objects.requireNonNull(source, "source must not be null");
            if (index < 0) {
                throw new IllegalArgumentException("index must not be negative, found " + index);
            }
            this.index = index;
            this.anomaly = anomaly;
        }

        /**
         * Returns the split the image comes from.
         *
         * @return The split.
         */
        public Source source() {
            return source;
        }

        /**
         * Returns the image's index in its split.
         *
         * @return The index.
         */
        public int index() {
            return index;
        }

        /**
         * Returns whether the image is an anomaly (of a class other than the normal class).
         *
         * @return True for an anomaly.
         */
        public boolean isAnomaly() {
            return anomaly;
        }

        /**
         * Two entries are equal when source, index and anomaly flag are equal.
         *
         * @param o The object to compare with.
         * @return True if equal.
         */
        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof TestEntry)) {
                return false;
            }
            TestEntry other = (TestEntry) o;
            return source == other.source && index == other.index && anomaly == other.anomaly;
        }

        /**
         * Returns a hash code consistent with {@link #equals(Object)}.
         *
         * @return The hash code.
         */
        @Override
        public int hashCode() {
            return Objects.hash(source, index, anomaly);
        }

        /**
         * Returns a description, e.g. {@code TEST[17]:anomaly}.
         *
         * @return The description.
         */
        @Override
        public String toString() {
            return source + "[" + index + "]:" + (anomaly ? "anomaly" : "normal");
        }
    }

    private final IdxImages train;
    private final IdxImages test;
    private final int normalClass;
    private final int normalTestCount;
    private final int anomalyTestCount;
    private final long seed;
    private final int normalFromTraining;
    private final int[] trainingIndices;
    private final List<TestEntry> testEntries;

    private OneClassImageSplit(IdxImages train, IdxImages test, int normalClass, int normalTestCount,
                               int anomalyTestCount, long seed, int normalFromTraining, int[] trainingIndices,
                               List<TestEntry> testEntries) {
        this.train = train;
        this.test = test;
        this.normalClass = normalClass;
        this.normalTestCount = normalTestCount;
        this.anomalyTestCount = anomalyTestCount;
        this.seed = seed;
        this.normalFromTraining = normalFromTraining;
        this.trainingIndices = trainingIndices;
        this.testEntries = testEntries;
    }

    /**
     * Creates the split with the default test counts, {@value #DEFAULT_NORMAL_TEST_COUNT} normal and
     * {@value #DEFAULT_ANOMALY_TEST_COUNT} anomalous images.
     *
     * @param train       The training split.
     * @param test        The test split.
     * @param normalClass The normal class, in {@code 0..9}.
     * @param seed        The seed of the anomaly draw.
     * @return The split.
     * @throws IllegalArgumentException See {@link #create(IdxImages, IdxImages, int, int, int, long)}.
     */
    public static OneClassImageSplit create(IdxImages train, IdxImages test, int normalClass, long seed) {
        return create(train, test, normalClass, DEFAULT_NORMAL_TEST_COUNT, DEFAULT_ANOMALY_TEST_COUNT, seed);
    }

    /**
     * Creates the split; see the class documentation for the protocol.
     *
     * @param train            The training split.
     * @param test             The test split.
     * @param normalClass      The normal class, in {@code 0..9}.
     * @param normalTestCount  The number of normal test images, at least 1.
     * @param anomalyTestCount The number of anomalous test images, at least 1.
     * @param seed             The seed of the anomaly draw.
     * @return The split.
     * @throws IllegalArgumentException If the class is out of range, a count is below 1, the splits have
     *                                  different image shapes, there are not enough images of the other classes
     *                                  in the test split, or the top-up would leave no training image.
     */
    public static OneClassImageSplit create(IdxImages train, IdxImages test, int normalClass, int normalTestCount,
                                            int anomalyTestCount, long seed) {
        Objects.requireNonNull(train, "train must not be null");
        Objects.requireNonNull(test, "test must not be null");
        IdxImages.checkClass(normalClass);
        if (normalTestCount < 1) {
            throw new IllegalArgumentException("normalTestCount must be at least 1, found " + normalTestCount);
        }
        if (anomalyTestCount < 1) {
            throw new IllegalArgumentException("anomalyTestCount must be at least 1, found " + anomalyTestCount);
        }
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException("the training images are " + train.rows() + "x" + train.cols()
                    + " but the test images are " + test.rows() + "x" + test.cols() + " (" + train.imagesFile()
                    + ", " + test.imagesFile() + ")");
        }
        int[] classTrain = train.indicesOfClass(normalClass);
        int[] classTest = test.indicesOfClass(normalClass);

        List<TestEntry> entries = new ArrayList<>(normalTestCount + anomalyTestCount);
        int[] trainingIndices;
        int topUp;
        if (classTest.length >= normalTestCount) {
            topUp = 0;
            trainingIndices = classTrain;
            for (int k = 0; k < normalTestCount; k++) {
                entries.add(new TestEntry(Source.TEST, classTest[k], false));
            }
        } else {
            topUp = normalTestCount - classTest.length;
            if (topUp >= classTrain.length) {
                throw new IllegalArgumentException("class " + normalClass + " has " + classTest.length
                        + " test images and " + classTrain.length + " training images; topping the "
                        + normalTestCount + " normal test images up from the training split would leave no "
                        + "training image (" + test.imagesFile() + ", " + train.imagesFile() + ")");
            }
            trainingIndices = Arrays.copyOf(classTrain, classTrain.length - topUp);
            for (int index : classTest) {
                entries.add(new TestEntry(Source.TEST, index, false));
            }
            for (int k = classTrain.length - topUp; k < classTrain.length; k++) {
                entries.add(new TestEntry(Source.TRAIN, classTrain[k], false));
            }
            if (logger.isLoggable(Level.INFO)) {
                logger.info("One-class split of class " + normalClass + ": the test split " + test.imagesFile()
                        + " has " + classTest.length + " images of class " + normalClass + ", fewer than the "
                        + normalTestCount + " requested; moved the last " + topUp + " training images of class "
                        + normalClass + " (training indices " + classTrain[classTrain.length - topUp] + " to "
                        + classTrain[classTrain.length - 1] + ") to the test set; " + trainingIndices.length
                        + " training images remain");
            }
        }

        int[] others = new int[test.count() - classTest.length];
        int k = 0;
        for (int i = 0; i < test.count(); i++) {
            if (test.label(i) != normalClass) {
                others[k++] = i;
            }
        }
        if (anomalyTestCount > others.length) {
            throw new IllegalArgumentException("anomalyTestCount is " + anomalyTestCount + " but the test split "
                    + test.imagesFile() + " has only " + others.length + " images of classes other than "
                    + normalClass);
        }
        for (int index : sample(others, anomalyTestCount, new SplittableRandom(seed))) {
            entries.add(new TestEntry(Source.TEST, index, true));
        }
        return new OneClassImageSplit(train, test, normalClass, normalTestCount, anomalyTestCount, seed, topUp,
                trainingIndices, Collections.unmodifiableList(entries));
    }

    /**
     * Returns the normal class.
     *
     * @return The class, in {@code 0..9}.
     */
    public int normalClass() {
        return normalClass;
    }

    /**
     * Returns the number of normal test images.
     *
     * @return The count.
     */
    public int normalTestCount() {
        return normalTestCount;
    }

    /**
     * Returns the number of anomalous test images.
     *
     * @return The count.
     */
    public int anomalyTestCount() {
        return anomalyTestCount;
    }

    /**
     * Returns the seed of the anomaly draw.
     *
     * @return The seed.
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns how many normal test images were taken from the end of the normal class's training images (and
     * removed from the training set) because the test split had too few; 0 when it had enough.
     *
     * @return The number of top-up images.
     */
    public int normalFromTraining() {
        return normalFromTraining;
    }

    /**
     * Returns the training split the images come from.
     *
     * @return The training split.
     */
    public IdxImages trainImages() {
        return train;
    }

    /**
     * Returns the test split the images come from.
     *
     * @return The test split.
     */
    public IdxImages testImages() {
        return test;
    }

    /**
     * Returns the number of training images.
     *
     * @return The training-set size.
     */
    public int trainingSize() {
        return trainingIndices.length;
    }

    /**
     * Returns the number of test images, {@code normalTestCount() + anomalyTestCount()}.
     *
     * @return The test-set size.
     */
    public int testSize() {
        return testEntries.size();
    }

    /**
     * Returns the indices, in the training split, of the training images, ascending (file order).
     *
     * @return A fresh array.
     */
    public int[] trainingIndices() {
        return trainingIndices.clone();
    }

    /**
     * Returns the test images in test-set order (normals first, then anomalies).
     *
     * @return An unmodifiable list.
     */
    public List<TestEntry> testEntries() {
        return testEntries;
    }

    /**
     * Returns the test labels in test-set order: 0 for a normal image, 1 for an anomaly.
     *
     * @return A fresh array of {@link #testSize()} labels.
     */
    public int[] testLabels() {
        int[] labels = new int[testEntries.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = testEntries.get(i).isAnomaly() ? 1 : 0;
        }
        return labels;
    }

    /**
     * Returns the training images as a row-major {@code [trainingSize(), rows * cols]} matrix of
     * {@code pixel / 255f}, in the order of {@link #trainingDataset()}.
     *
     * @return A fresh array.
     */
    public float[] trainingPixels() {
        return pixels(train, trainingIndices);
    }

    /**
     * Returns the test images as a row-major {@code [testSize(), rows * cols]} matrix of {@code pixel / 255f}, in
     * the order of {@link #testDataset()} and {@link #testLabels()}.
     *
     * @return A fresh array.
     */
    public float[] testPixels() {
        int width = train.numPixels();
        float[] result = new float[Math.multiplyExact(testEntries.size(), width)];
        for (int i = 0; i < testEntries.size(); i++) {
            TestEntry e = testEntries.get(i);
            imagesOf(e).pixels(e.index(), result, i * width);
        }
        return result;
    }

    /**
     * Builds the training set: one example per training image, in {@link #trainingIndices()} order, each with
     * output {@code Event(EXPECTED)}.
     *
     * @return A new dataset with an {@link ImageDataProvenance} of split {@link ImageDataProvenance#SPLIT_TRAIN}.
     */
    public MutableDataset<Event> trainingDataset() {
        AnomalyFactory factory = new AnomalyFactory();
        ImageDataProvenance provenance = new ImageDataProvenance(splitValues(ImageDataProvenance.SPLIT_TRAIN,
                trainingIndices.length, "EXPECTED: all images are of the normal class " + normalClass), factory);
        MutableDataset<Event> dataset = new MutableDataset<>(provenance, factory);
        String[] names = featureNames(train.numPixels());
        float[] floats = new float[names.length];
        double[] values = new double[names.length];
        for (int index : trainingIndices) {
            add(dataset, train, index, false, names, floats, values);
        }
        return dataset;
    }

    /**
     * Builds the test set: one example per test entry, in {@link #testEntries()} order, with output
     * {@code Event(EXPECTED)} for normal images and {@code Event(ANOMALOUS)} for anomalies.
     *
     * @return A new dataset with an {@link ImageDataProvenance} of split {@link ImageDataProvenance#SPLIT_TEST}.
     */
    public MutableDataset<Event> testDataset() {
        AnomalyFactory factory = new AnomalyFactory();
        ImageDataProvenance provenance = new ImageDataProvenance(splitValues(ImageDataProvenance.SPLIT_TEST,
                testEntries.size(), "EXPECTED for the " + normalTestCount + " images of the normal class "
                        + normalClass + " (first), ANOMALOUS for the " + anomalyTestCount
                        + " images of other classes (after)"), factory);
        MutableDataset<Event> dataset = new MutableDataset<>(provenance, factory);
        String[] names = featureNames(train.numPixels());
        float[] floats = new float[names.length];
        double[] values = new double[names.length];
        for (TestEntry e : testEntries) {
            add(dataset, imagesOf(e), e.index(), e.isAnomaly(), names, floats, values);
        }
        return dataset;
    }

    /**
     * Draws the indices of an outlier-exposure set: {@code count} images of {@code other} chosen uniformly
     * without replacement with {@code new SplittableRandom(seed)}, returned ascending (file order).
     *
     * @param other The images to draw from.
     * @param count The number of images, in {@code [1, other.count()]}.
     * @param seed  The seed.
     * @return A fresh array of {@code count} distinct indices.
     * @throws IllegalArgumentException If {@code count} is out of range.
     */
    public static int[] outlierExposureIndices(IdxImages other, int count, long seed) {
        Objects.requireNonNull(other, "other must not be null");
        if (count < 1 || count > other.count()) {
            throw new IllegalArgumentException("count must be in [1, " + other.count() + "] (the images of "
                    + other.imagesFile() + "), found " + count);
        }
        int[] all = new int[other.count()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return sample(all, count, new SplittableRandom(seed));
    }

    /**
     * Builds an outlier-exposure dataset: the {@code count} images of {@link #outlierExposureIndices} in
     * ascending file order, with the features of {@link #featureNames(int)} (so images of the same shape line up
     * with a one-class split's features).
     * <p>
     * Every example's output is {@code Event(EXPECTED)}. These images (e.g. Fashion-MNIST shown to a student
     * distilled from an MNIST teacher) are unlabelled extra <em>inputs</em>: the student learns to reproduce the
     * teacher's score on them, whatever it is, and nothing may treat them as known anomalies. Labelling them
     * ANOMALOUS would also make this library's trainers refuse or drop them: training examples labelled
     * ANOMALOUS are rejected by default, or dropped, under {@code AnomalousLabelPolicy}. The outputs are
     * therefore placeholders, and the provenance (split {@link ImageDataProvenance#SPLIT_OUTLIER_EXPOSURE},
     * {@link ImageDataProvenance#OUTPUTS}) says so.
     *
     * @param other  The images to draw from.
     * @param count  The number of images, in {@code [1, other.count()]}.
     * @param seed   The seed of the draw.
     * @param source A description of the images (e.g. {@code "Fashion-MNIST train"}), recorded in the provenance.
     * @return A new dataset of {@code count} examples.
     * @throws IllegalArgumentException If {@code count} is out of range.
     */
    public static MutableDataset<Event> outlierExposureDataset(IdxImages other, int count, long seed, String source) {
        Objects.requireNonNull(source, "source must not be null");
        int[] indices = outlierExposureIndices(other, count, seed);
        Map<String, Provenance> values = new TreeMap<>();
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.SPLIT,
                ImageDataProvenance.SPLIT_OUTLIER_EXPOSURE));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.DESCRIPTION, source));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.DIRECTORY,
                directoryOf(other)));
        ImageDataProvenance.putFiles(values, ImageDataProvenance.SOURCE_PREFIX, other);
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.ROWS, other.rows()));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.COLS, other.cols()));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.NUM_EXAMPLES, count));
        ImageDataProvenance.put(values, new LongProvenance(ImageDataProvenance.SEED, seed));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.OUTPUTS,
                "EXPECTED placeholders: unlabelled outlier-exposure inputs drawn uniformly without replacement, "
                        + "not known anomalies"));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.PIXEL_SCALING, PIXEL_SCALING));
        AnomalyFactory factory = new AnomalyFactory();
        MutableDataset<Event> dataset = new MutableDataset<>(new ImageDataProvenance(values, factory), factory);
        String[] names = featureNames(other.numPixels());
        float[] floats = new float[names.length];
        double[] buffer = new double[names.length];
        for (int index : indices) {
            add(dataset, other, index, false, names, floats, buffer);
        }
        return dataset;
    }

    /**
     * Copies images into a row-major {@code [indices.length, rows * cols]} matrix of {@code pixel / 255f}.
     *
     * @param images  The images.
     * @param indices The image indices, in the order wanted.
     * @return A fresh array.
     * @throws IndexOutOfBoundsException If an index is out of range.
     */
    public static float[] pixels(IdxImages images, int[] indices) {
        int width = images.numPixels();
        float[] result = new float[Math.multiplyExact(indices.length, width)];
        for (int i = 0; i < indices.length; i++) {
            images.pixels(indices[i], result, i * width);
        }
        return result;
    }

    /**
     * Returns the feature names of an image of {@code numPixels} pixels: {@code "p"} followed by the row-major
     * pixel index, zero-padded to the number of digits of {@code numPixels - 1} (at least 1), e.g.
     * {@code p000 ... p783} for 784 pixels. All names have the same length, so their lexicographic order (the
     * order in which Tribuo assigns feature ids) is the pixel order: feature id {@code i} is pixel {@code i}.
     *
     * @param numPixels The number of pixels, at least 1.
     * @return A fresh array of {@code numPixels} names.
     * @throws IllegalArgumentException If {@code numPixels} is below 1.
     */
    public static String[] featureNames(int numPixels) {
        if (numPixels < 1) {
            throw new IllegalArgumentException("numPixels must be at least 1, found " + numPixels);
        }
        int width = Integer.toString(numPixels - 1).length();
        String[] names = new String[numPixels];
        StringBuilder sb = new StringBuilder(width + 1);
        for (int i = 0; i < numPixels; i++) {
            sb.setLength(0);
            sb.append('p');
            String digits = Integer.toString(i);
            for (int k = digits.length(); k < width; k++) {
                sb.append('0');
            }
            names[i] = sb.append(digits).toString();
        }
        return names;
    }

    /**
     * Returns a description of the split.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "OneClassImageSplit(normalClass=" + normalClass + ", training=" + trainingIndices.length
                + ", normalTest=" + normalTestCount + " (" + normalFromTraining + " from training), anomalyTest="
                + anomalyTestCount + ", seed=" + seed + ", train=" + train.imagesFile() + ", test="
                + test.imagesFile() + ")";
    }

    // ------------------------------------------------------------------ helpers

    private IdxImages imagesOf(TestEntry e) {
        return e.source() == Source.TRAIN ? train : test;
    }

    private Map<String, Provenance> splitValues(String split, int numExamples, String outputs) {
        Map<String, Provenance> values = new TreeMap<>();
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.SPLIT, split));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.DIRECTORY, directoryOf(train)));
        ImageDataProvenance.putFiles(values, ImageDataProvenance.TRAIN_PREFIX, train);
        ImageDataProvenance.putFiles(values, ImageDataProvenance.TEST_PREFIX, test);
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.ROWS, train.rows()));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.COLS, train.cols()));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.NUM_EXAMPLES, numExamples));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.NORMAL_CLASS, normalClass));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.NORMAL_TEST_COUNT, normalTestCount));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.ANOMALY_TEST_COUNT, anomalyTestCount));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.NORMAL_FROM_TRAIN, normalFromTraining));
        ImageDataProvenance.put(values, new IntProvenance(ImageDataProvenance.TRAINING_SIZE, trainingIndices.length));
        ImageDataProvenance.put(values, new LongProvenance(ImageDataProvenance.SEED, seed));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.OUTPUTS, outputs));
        ImageDataProvenance.put(values, new StringProvenance(ImageDataProvenance.PIXEL_SCALING, PIXEL_SCALING));
        return values;
    }

    private static String directoryOf(IdxImages images) {
        Path parent = images.imagesFile().toAbsolutePath().normalize().getParent();
        return parent == null ? "" : parent.toString();
    }

    private static void add(MutableDataset<Event> dataset, IdxImages images, int index, boolean anomalous,
                            String[] names, float[] floats, double[] values) {
        images.pixels(index, floats, 0);
        for (int k = 0; k < values.length; k++) {
            values[k] = floats[k];
        }
        // ArrayExample copies both arrays, so the buffers can be reused; zero values are kept.
        Event output = new Event(anomalous ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED);
        dataset.add(new ArrayExample<>(output, names, values));
    }

    /** Partial Fisher-Yates: {@code count} distinct elements of {@code candidates}, returned ascending. */
    private static int[] sample(int[] candidates, int count, SplittableRandom rng) {
        int[] pool = candidates.clone();
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int tmp = pool[i];
            pool[i] = pool[j];
            pool[j] = tmp;
        }
        int[] chosen = Arrays.copyOf(pool, count);
        Arrays.sort(chosen);
        return chosen;
    }
}
