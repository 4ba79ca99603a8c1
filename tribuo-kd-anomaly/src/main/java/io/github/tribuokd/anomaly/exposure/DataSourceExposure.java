package io.github.tribuokd.anomaly.exposure;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import io.github.tribuokd.anomaly.FeatureMatrix;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.anomaly.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Outlier exposure with an external dataset (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §2.3: MNIST digits as outliers for a teacher of
 * Fashion-MNIST and the other way round): exposed rows are drawn, with replacement, from the examples of a Tribuo
 * {@link DataSource} whose examples carry exactly the normal inputs' features (a missing or unknown feature is an
 * error naming the example). The source is read once and kept.
 */
public final class DataSourceExposure implements ExposureGenerator {

    @Config(mandatory = true, description = "The source of outlier examples, with the teacher's features.")
    private DataSource<Event> source;

    private transient ImmutableFeatureMap loadedFor;
    private transient float[] loaded;
    private transient int loadedRows;

    /** For OLCUT. */
    private DataSourceExposure() { }

    /**
     * Exposure to the examples of a source.
     * @param source The outlier examples.
     */
    public DataSourceExposure(DataSource<Event> source) {
        this.source = source;
        postConfig();
    }

    @Override
    public void postConfig() {
        if (source == null) {
            throw new IllegalArgumentException("DataSourceExposure needs a source");
        }
    }

    @Override
    public synchronized void generate(NormalInputs normal, int count, SplittableRandom rng, float[] out) {
        if (loaded == null || loadedFor != normal.featureMap()) {
            List<Example<Event>> examples = new ArrayList<>();
            for (Example<Event> e : source) {
                examples.add(e);
            }
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("The outlier source " + source.getProvenance().getClassName()
                        + " of DataSourceExposure has no examples");
            }
            loaded = FeatureMatrix.toMatrix(examples, normal.featureMap());
            loadedRows = examples.size();
            loadedFor = normal.featureMap();
        }
        int d = normal.width();
        for (int i = 0; i < count; i++) {
            System.arraycopy(loaded, rng.nextInt(loadedRows) * d, out, i * d, d);
        }
    }

    @Override
    public String name() {
        return "data-source";
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "ExposureGenerator");
    }

    @Override
    public String toString() {
        return "DataSourceExposure(source=" + source.getProvenance().getClassName() + ")";
    }
}
