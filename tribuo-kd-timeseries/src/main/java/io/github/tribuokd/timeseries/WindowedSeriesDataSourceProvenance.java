package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a {@link WindowedSeriesDataSource}: its {@code @Config} fields (the nested series source's
 * provenance among them), which rebuild it through OLCUT, plus what it produced: the name and length of the windowed
 * series, the number of windows and the creation time.
 */
public final class WindowedSeriesDataSourceProvenance extends SkeletalConfiguredObjectProvenance
        implements ConfiguredDataSourceProvenance {
    private static final long serialVersionUID = 1L;

    /** Key of the name of the windowed series. */
    public static final String SERIES_NAME = "series-name";
    /** Key of the number of time steps windowed. */
    public static final String NUM_STEPS = "num-steps";
    /** Key of the number of windows (examples). */
    public static final String NUM_WINDOWS = "num-windows";

    /** The name of the series. */
    private final StringProvenance seriesName;
    /** The number of time steps of the series. */
    private final IntProvenance numSteps;
    /** The number of windows produced. */
    private final IntProvenance numWindows;
    /** When the data source was built. */
    private final DateTimeProvenance creationTime;

    /**
     * Creates the provenance of {@code host}, stamped with the current time.
     *
     * @param host       The data source.
     * @param windowed   The windowed series.
     * @param numWindows The number of windows.
     */
    WindowedSeriesDataSourceProvenance(WindowedSeriesDataSource host, MultivariateSeries windowed, int numWindows) {
        super(host, "DataSource");
        this.seriesName = new StringProvenance(SERIES_NAME, windowed.name());
        this.numSteps = new IntProvenance(NUM_STEPS, windowed.numSteps());
        this.numWindows = new IntProvenance(NUM_WINDOWS, numWindows);
        this.creationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now());
    }

    /**
     * Deserialization constructor, used by OLCUT's provenance unmarshalling.
     *
     * @param map The provenance elements.
     */
    public WindowedSeriesDataSourceProvenance(Map<String, Provenance> map) {
        this(extract(map));
    }

    private WindowedSeriesDataSourceProvenance(ExtractedInfo info) {
        super(info);
        this.seriesName = (StringProvenance) info.instanceValues.get(SERIES_NAME);
        this.numSteps = (IntProvenance) info.instanceValues.get(NUM_STEPS);
        this.numWindows = (IntProvenance) info.instanceValues.get(NUM_WINDOWS);
        this.creationTime = (DateTimeProvenance) info.instanceValues.get(DATASOURCE_CREATION_TIME);
    }

    private static ExtractedInfo extract(Map<String, Provenance> map) {
        String host = WindowedSeriesDataSourceProvenance.class.getSimpleName();
        Map<String, Provenance> configured = new HashMap<>(map);
        String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME,
                StringProvenance.class, host).getValue();
        String hostType = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME,
                StringProvenance.class, host).getValue();
        Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
        instance.put(SERIES_NAME, ObjectProvenance.checkAndExtractProvenance(configured, SERIES_NAME,
                StringProvenance.class, host));
        instance.put(NUM_STEPS, ObjectProvenance.checkAndExtractProvenance(configured, NUM_STEPS,
                IntProvenance.class, host));
        instance.put(NUM_WINDOWS, ObjectProvenance.checkAndExtractProvenance(configured, NUM_WINDOWS,
                IntProvenance.class, host));
        instance.put(DATASOURCE_CREATION_TIME, ObjectProvenance.checkAndExtractProvenance(configured,
                DATASOURCE_CREATION_TIME, DateTimeProvenance.class, host));
        configured.keySet().removeAll(instance.keySet());
        return new ExtractedInfo(className, hostType, configured, instance);
    }

    /**
     * Returns the name of the windowed series.
     *
     * @return The series name.
     */
    public String seriesName() {
        return seriesName.getValue();
    }

    /**
     * Returns the number of windows (examples) the data source produced.
     *
     * @return The number of windows.
     */
    public int numWindows() {
        return numWindows.getValue();
    }

    @Override
    public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
        Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
        map.put(SERIES_NAME, seriesName);
        map.put(NUM_STEPS, numSteps);
        map.put(NUM_WINDOWS, numWindows);
        map.put(DATASOURCE_CREATION_TIME, creationTime);
        return map;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WindowedSeriesDataSourceProvenance) || !super.equals(o)) {
            return false;
        }
        WindowedSeriesDataSourceProvenance other = (WindowedSeriesDataSourceProvenance) o;
        return seriesName.equals(other.seriesName) && numSteps.equals(other.numSteps)
                && numWindows.equals(other.numWindows) && creationTime.equals(other.creationTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), seriesName, numSteps, numWindows, creationTime);
    }
}
