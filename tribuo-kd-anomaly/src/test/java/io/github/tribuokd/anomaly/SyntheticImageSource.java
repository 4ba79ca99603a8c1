package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.OutputFactory;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny 1×8×8 images for the convolutional tests: NORMAL images are a bright 3×3 blob at a random position on a
 * dark, slightly noisy background; LINES images (anomalies, or outliers for exposure) are a bright horizontal line;
 * pixels are named {@code p00 … p63}.
 */
public final class SyntheticImageSource implements ConfigurableDataSource<Event> {

    /** The kinds of image. */
    public enum Kind {
        /** A 3×3 blob. */
        NORMAL,
        /** A horizontal line. */
        LINES
    }

    static final int SIDE = 8;

    @Config(description = "Kind of image.")
    private Kind kind = Kind.NORMAL;

    @Config(description = "Number of images.")
    private int count = 100;

    @Config(description = "Seed.")
    private long seed = 1L;

    private List<Example<Event>> examples;

    private SyntheticImageSource() { }

    SyntheticImageSource(Kind kind, int count, long seed) {
        this.kind = kind;
        this.count = count;
        this.seed = seed;
        postConfig();
    }

    @Override
    public void postConfig() {
        examples = new ArrayList<>(count);
        SplittableRandom rng = new SplittableRandom(seed);
        String[] names = names();
        for (int i = 0; i < count; i++) {
            double[] px = new double[SIDE * SIDE];
            for (int j = 0; j < px.length; j++) {
                px[j] = 0.05 * rng.nextDouble();
            }
            double intensity = 0.6 + 0.4 * rng.nextDouble();
            if (kind == Kind.NORMAL) {
                int r0 = rng.nextInt(SIDE - 2);
                int c0 = rng.nextInt(SIDE - 2);
                for (int r = r0; r < r0 + 3; r++) {
                    for (int c = c0; c < c0 + 3; c++) {
                        px[r * SIDE + c] = intensity;
                    }
                }
            } else {
                int r = rng.nextInt(SIDE);
                for (int c = 0; c < SIDE; c++) {
                    px[r * SIDE + c] = intensity;
                }
            }
            Event.EventType type = kind == Kind.NORMAL ? Event.EventType.EXPECTED : Event.EventType.ANOMALOUS;
            examples.add(new ArrayExample<>(new Event(type), names, px));
        }
    }

    static String[] names() {
        String[] names = new String[SIDE * SIDE];
        for (int i = 0; i < names.length; i++) {
            names[i] = String.format("p%02d", i);
        }
        return names;
    }

    /** The images as a dataset. */
    MutableDataset<Event> dataset() {
        return new MutableDataset<>(this);
    }

    List<Example<Event>> examples() {
        return examples;
    }

    @Override
    public OutputFactory<Event> getOutputFactory() {
        return new AnomalyFactory();
    }

    @Override
    public ConfiguredDataSourceProvenance getProvenance() {
        return new SyntheticProvenance(this);
    }

    /** Provenance: the configuration. */
    public static final class SyntheticProvenance extends SkeletalConfiguredObjectProvenance
            implements ConfiguredDataSourceProvenance {
        private static final long serialVersionUID = 1L;

        SyntheticProvenance(SyntheticImageSource host) {
            super(host, "DataSource");
        }

        /**
         * For unmarshalling.
         * @param map The provenance map.
         */
        public SyntheticProvenance(Map<String, Provenance> map) {
            super(extract(map));
        }

        private static ExtractedInfo extract(Map<String, Provenance> map) {
            Map<String, Provenance> params = new java.util.HashMap<>(map);
            String className = ((StringProvenance) params.remove(CLASS_NAME)).getValue();
            String host = ((StringProvenance) params.remove(HOST_SHORT_NAME)).getValue();
            return new ExtractedInfo(className, host, params, java.util.Collections.emptyMap());
        }
    }

    @Override
    public Iterator<Example<Event>> iterator() {
        return examples.iterator();
    }
}
