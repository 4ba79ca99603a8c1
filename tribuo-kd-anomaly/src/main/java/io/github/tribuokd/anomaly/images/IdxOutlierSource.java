package io.github.tribuokd.anomaly.images;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.OutputFactory;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A configurable source of outlier-exposure images (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.3: "we use the events of the MNIST
 * dataset as outliers for the teacher trained on Fashion-MNIST and the other way around"): {@code count} images
 * drawn uniformly without replacement, with {@code seed}, from one split of an IDX image directory, as unlabelled
 * ({@code EXPECTED}) examples with the zero-padded pixel names of {@link OneClassImageSplit}. For
 * {@code CoLearningDistillationTrainer.outlierSource}; its provenance is its configuration.
 */
public final class IdxOutlierSource implements ConfigurableDataSource<Event> {

    @Config(mandatory = true, description = "Directory holding the IDX files (e.g. $DATA/FashionMNIST, see docs/DATA.md).")
    private Path directory;

    @Config(description = "Read the training split (true) or the test split (false).")
    private boolean trainSplit = true;

    @Config(description = "Number of images drawn.")
    private int count = 6000;

    @Config(description = "Seed of the draw.")
    private long seed = 1L;

    private List<Example<Event>> examples;

    /** For OLCUT. */
    private IdxOutlierSource() { }

    /**
     * Draws the images now.
     * @param directory The IDX directory.
     * @param trainSplit Whether to read the training split.
     * @param count The number of images.
     * @param seed The seed of the draw.
     */
    public IdxOutlierSource(Path directory, boolean trainSplit, int count, long seed) {
        this.directory = directory;
        this.trainSplit = trainSplit;
        this.count = count;
        this.seed = seed;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (count < 1) {
            throw new PropertyException("", "count", "count must be positive, found " + count);
        }
        try {
            IdxImages images = IdxImages.loadSplit(directory, trainSplit);
            MutableDataset<Event> data = OneClassImageSplit.outlierExposureDataset(images, count, seed,
                    "outlier exposure from " + directory);
            List<Example<Event>> list = new ArrayList<>(data.size());
            for (Example<Event> e : data) {
                list.add(e);
            }
            examples = Collections.unmodifiableList(list);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the outlier images in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The number of images.
     * @return The count.
     */
    public int size() {
        return examples.size();
    }

    @Override
    public OutputFactory<Event> getOutputFactory() {
        return new AnomalyFactory();
    }

    @Override
    public ConfiguredDataSourceProvenance getProvenance() {
        return new IdxOutlierSourceProvenance(this);
    }

    @Override
    public Iterator<Example<Event>> iterator() {
        return examples.iterator();
    }

    @Override
    public String toString() {
        return "IdxOutlierSource(directory=" + directory + ",trainSplit=" + trainSplit + ",count=" + count + ",seed="
                + seed + ")";
    }

    /** The provenance of an {@link IdxOutlierSource}: its configuration. */
    public static final class IdxOutlierSourceProvenance extends SkeletalConfiguredObjectProvenance
            implements ConfiguredDataSourceProvenance {
        private static final long serialVersionUID = 1L;

        IdxOutlierSourceProvenance(IdxOutlierSource host) {
            super(host, "DataSource");
        }

        /**
         * For unmarshalling.
         * @param map The provenance map.
         */
        public IdxOutlierSourceProvenance(Map<String, Provenance> map) {
            super(extract(map));
        }

        private static ExtractedInfo extract(Map<String, Provenance> map) {
            Map<String, Provenance> params = new HashMap<>(map);
            Provenance className = params.remove(CLASS_NAME);
            Provenance host = params.remove(HOST_SHORT_NAME);
            if (!(className instanceof StringProvenance) || !(host instanceof StringProvenance)) {
                throw new IllegalArgumentException("Not an IdxOutlierSource provenance: " + map.keySet());
            }
            return new ExtractedInfo(((StringProvenance) className).getValue(), ((StringProvenance) host).getValue(),
                    params, Collections.emptyMap());
        }
    }
}
