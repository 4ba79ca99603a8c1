package io.github.tribuokd.anomaly.images;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.RecordedValues;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.OutputFactoryProvenance;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Provenance of an image dataset built by {@link OneClassImageSplit}: which split it is ({@link #SPLIT}), the
 * IDX files it was read from (path, size on disk and MD5 of the uncompressed content of each), the image shape,
 * the one-class protocol's settings (normal class, test counts, how many normal test images came from the
 * training split, seed) and the number of examples, plus the output factory and the creation time.
 * <p>
 * The values are OLCUT primitive provenances under the keys named by the constants of this class, kept in key
 * order. The keys of an IDX file pair are a prefix ({@link #TRAIN_PREFIX}, {@link #TEST_PREFIX} or
 * {@link #SOURCE_PREFIX}) followed by one of {@link #IMAGES_FILE}, {@link #IMAGES_BYTES}, {@link #IMAGES_MD5},
 * {@link #LABELS_FILE}, {@link #LABELS_BYTES}, {@link #LABELS_MD5} or {@link #COUNT}, e.g.
 * {@code "train-images-md5"}. Which keys are present depends on the split:
 * <ul>
 *     <li>{@link #SPLIT_TRAIN} and {@link #SPLIT_TEST}: both the {@code train-} and the {@code test-} files (the
 *     test set may take normal images from the training split), {@link #NORMAL_CLASS},
 *     {@link #NORMAL_TEST_COUNT}, {@link #ANOMALY_TEST_COUNT}, {@link #NORMAL_FROM_TRAIN}, {@link #TRAINING_SIZE},
 *     {@link #SEED};</li>
 *     <li>{@link #SPLIT_OUTLIER_EXPOSURE}: the {@code source-} files, {@link #DESCRIPTION}, {@link #SEED}.</li>
 * </ul>
 * Every split records {@link #SPLIT}, {@link #DIRECTORY}, {@link #ROWS}, {@link #COLS}, {@link #NUM_EXAMPLES},
 * {@link #OUTPUTS} and {@link #PIXEL_SCALING}. The object is immutable and survives an OLCUT marshalling round
 * trip through the public {@link #ImageDataProvenance(Map)} constructor.
 */
public final class ImageDataProvenance implements DataSourceProvenance, RecordedValues {
    private static final long serialVersionUID = 1L;

    /** Key of the kind of dataset: {@link #SPLIT_TRAIN}, {@link #SPLIT_TEST} or {@link #SPLIT_OUTLIER_EXPOSURE}. */
    public static final String SPLIT = "split";
    /** Value of {@link #SPLIT} for the training set of a one-class split. */
    public static final String SPLIT_TRAIN = "one-class-train";
    /** Value of {@link #SPLIT} for the test set of a one-class split. */
    public static final String SPLIT_TEST = "one-class-test";
    /** Value of {@link #SPLIT} for an outlier-exposure dataset. */
    public static final String SPLIT_OUTLIER_EXPOSURE = "outlier-exposure";

    /** Key of the folder holding the (training or source) image file, absolute. */
    public static final String DIRECTORY = "directory";
    /** Key of the caller's description of an outlier-exposure source. */
    public static final String DESCRIPTION = "description";
    /** Key of a sentence saying what the outputs of the examples mean. */
    public static final String OUTPUTS = "outputs";
    /** Key of how pixel bytes became feature values. */
    public static final String PIXEL_SCALING = "pixel-scaling";
    /** Key of the number of pixel rows of an image (an int). */
    public static final String ROWS = "rows";
    /** Key of the number of pixel columns of an image (an int). */
    public static final String COLS = "cols";
    /** Key of the number of examples in the dataset (an int). */
    public static final String NUM_EXAMPLES = "num-examples";
    /** Key of the normal class of a one-class split (an int). */
    public static final String NORMAL_CLASS = "normal-class";
    /** Key of the number of normal test images (an int). */
    public static final String NORMAL_TEST_COUNT = "normal-test-count";
    /** Key of the number of anomalous test images (an int). */
    public static final String ANOMALY_TEST_COUNT = "anomaly-test-count";
    /** Key of the number of normal test images taken from the end of the training split (an int). */
    public static final String NORMAL_FROM_TRAIN = "normal-test-from-train";
    /** Key of the size of the training set after the top-up (an int). */
    public static final String TRAINING_SIZE = "training-size";
    /** Key of the seed of the random draws (a long). */
    public static final String SEED = "seed";

    /** Key prefix of the training-split IDX files. */
    public static final String TRAIN_PREFIX = "train-";
    /** Key prefix of the test-split IDX files. */
    public static final String TEST_PREFIX = "test-";
    /** Key prefix of the IDX files of an outlier-exposure source. */
    public static final String SOURCE_PREFIX = "source-";
    /** Key suffix of an image file's absolute path. */
    public static final String IMAGES_FILE = "images-file";
    /** Key suffix of an image file's size on disk (a long). */
    public static final String IMAGES_BYTES = "images-bytes";
    /** Key suffix of the MD5 of an image file's uncompressed content. */
    public static final String IMAGES_MD5 = "images-md5";
    /** Key suffix of a label file's absolute path. */
    public static final String LABELS_FILE = "labels-file";
    /** Key suffix of a label file's size on disk (a long). */
    public static final String LABELS_BYTES = "labels-bytes";
    /** Key suffix of the MD5 of a label file's uncompressed content. */
    public static final String LABELS_MD5 = "labels-md5";
    /** Key suffix of the number of images in an IDX file pair (an int). */
    public static final String COUNT = "count";

    /** The class that produced the data. */
    private final String className = OneClassImageSplit.class.getName();
    /** The named values of this provenance (files, class, split sizes, seed). */
    private final Map<String, Provenance> values;
    /** The provenance of the output factory. */
    private final OutputFactoryProvenance outputFactoryProvenance;
    /** When the data was built. */
    private final DateTimeProvenance creationTime;

    /**
     * Creates a provenance stamped with the current time.
     *
     * @param values        The recorded values; each a primitive provenance whose own key equals its map key.
     * @param outputFactory The output factory of the dataset.
     */
    ImageDataProvenance(Map<String, ? extends Provenance> values, OutputFactory<?> outputFactory) {
        this.values = RecordedValues.copyChecked("ImageDataProvenance", values);
        this.outputFactoryProvenance = outputFactory.getProvenance();
        this.creationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now());
    }

    /**
     * Deserialization constructor, used by OLCUT's provenance unmarshalling.
     *
     * @param map The provenance elements.
     */
    public ImageDataProvenance(Map<String, Provenance> map) {
        String host = ImageDataProvenance.class.getSimpleName();
        this.outputFactoryProvenance = ObjectProvenance.checkAndExtractProvenance(map, OUTPUT_FACTORY,
                OutputFactoryProvenance.class, host);
        this.creationTime = ObjectProvenance.checkAndExtractProvenance(map, DATASOURCE_CREATION_TIME,
                DateTimeProvenance.class, host);
        Map<String, Provenance> rest = new TreeMap<>(map);
        rest.remove(CLASS_NAME);
        rest.remove(OUTPUT_FACTORY);
        rest.remove(DATASOURCE_CREATION_TIME);
        this.values = RecordedValues.copyChecked("ImageDataProvenance", rest);
    }

    /** Records the files, sizes, digests and count of an IDX pair under a key prefix. */
    static void putFiles(Map<String, Provenance> values, String prefix, IdxImages images) {
        put(values, new StringProvenance(prefix + IMAGES_FILE, absolute(images.imagesFile())));
        put(values, new LongProvenance(prefix + IMAGES_BYTES, images.imagesFileSize()));
        put(values, new StringProvenance(prefix + IMAGES_MD5, images.imagesMd5()));
        put(values, new StringProvenance(prefix + LABELS_FILE, absolute(images.labelsFile())));
        put(values, new LongProvenance(prefix + LABELS_BYTES, images.labelsFileSize()));
        put(values, new StringProvenance(prefix + LABELS_MD5, images.labelsMd5()));
        put(values, new IntProvenance(prefix + COUNT, images.count()));
    }

    /** Adds a primitive provenance under its own key. */
    static void put(Map<String, Provenance> values, PrimitiveProvenance<?> p) {
        values.put(p.getKey(), p);
    }

    /** The absolute, normalised form of a path, as recorded. */
    static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    /**
     * Returns the kind of dataset: {@link #SPLIT_TRAIN}, {@link #SPLIT_TEST} or {@link #SPLIT_OUTLIER_EXPOSURE}.
     *
     * @return The split.
     */
    public String split() {
        return getString(SPLIT);
    }

    /**
     * Returns the number of examples of the dataset.
     *
     * @return The number of examples.
     */
    public int numExamples() {
        return getInt(NUM_EXAMPLES);
    }

    /**
     * Returns the seed of the random draws.
     *
     * @return The seed.
     */
    public long seed() {
        return getLong(SEED);
    }

    /**
     * Returns the recorded values, in key order (without the output factory and creation time).
     *
     * @return An unmodifiable view of the values.
     */
    @Override
    public Map<String, Provenance> getValues() {
        return values;
    }

    /**
     * Returns the name of the class that builds these datasets, {@link OneClassImageSplit}.
     *
     * @return The class name.
     */
    @Override
    public String getClassName() {
        return className;
    }

    /**
     * Iterates over the recorded values in key order, then the output factory and the creation time.
     *
     * @return An iterator over (key, provenance) pairs.
     */
    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> list = new ArrayList<>(values.size() + 2);
        for (Map.Entry<String, Provenance> e : values.entrySet()) {
            list.add(new Pair<>(e.getKey(), e.getValue()));
        }
        list.add(new Pair<>(OUTPUT_FACTORY, outputFactoryProvenance));
        list.add(new Pair<>(DATASOURCE_CREATION_TIME, creationTime));
        return list.iterator();
    }

    /**
     * Two provenances are equal when they record the same values, output factory and creation time.
     *
     * @param o The other object.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ImageDataProvenance)) {
            return false;
        }
        ImageDataProvenance other = (ImageDataProvenance) o;
        return className.equals(other.className)
                && values.equals(other.values)
                && outputFactoryProvenance.equals(other.outputFactoryProvenance)
                && creationTime.equals(other.creationTime);
    }

    /**
     * Returns a hash code consistent with {@link #equals(Object)}.
     *
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return Objects.hash(className, values, outputFactoryProvenance, creationTime);
    }

    /**
     * Returns a readable rendering of all values, in OLCUT's provenance string format.
     *
     * @return The string.
     */
    @Override
    public String toString() {
        return generateString("ImageData");
    }
}
