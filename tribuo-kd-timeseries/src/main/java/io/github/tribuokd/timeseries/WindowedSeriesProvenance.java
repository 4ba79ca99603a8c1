package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.OutputFactory;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.OutputFactoryProvenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Provenance of a dataset built by {@link SlidingWindows#toDataset(MultivariateSeries, String)}: the
 * caller's description of the source, the series name and shape, whether it was labelled, the window
 * length and stride, the number of windows, the output factory and the creation time.
 */
public final class WindowedSeriesProvenance implements DataSourceProvenance {
    private static final long serialVersionUID = 1L;

    /** Key of the caller-supplied description of the source. */
    public static final String DESCRIPTION = "description";
    /** Key of the series name. */
    public static final String SERIES_NAME = "series-name";
    /** Key of the number of time steps of the series. */
    public static final String NUM_STEPS = "num-steps";
    /** Key of the number of variables of the series. */
    public static final String NUM_VARIABLES = "num-variables";
    /** Key of whether the series carried labels. */
    public static final String LABELLED = "labelled";
    /** Key of the window length L. */
    public static final String WINDOW_LENGTH = "window-length";
    /** Key of the stride s. */
    public static final String STRIDE = "stride";
    /** Key of the number of windows (examples). */
    public static final String NUM_WINDOWS = "num-windows";

    /** The class that produced the windows. */
    private final String className = SlidingWindows.class.getName();

    /** A description of the source series. */
    private final StringProvenance description;
    /** The name of the series. */
    private final StringProvenance seriesName;
    /** The number of time steps of the series. */
    private final IntProvenance numSteps;
    /** The number of variables of the series. */
    private final IntProvenance numVariables;
    /** Whether the windows carry labels from the series. */
    private final BooleanProvenance labelled;
    /** The window length in time steps. */
    private final IntProvenance windowLength;
    /** The step between the starts of consecutive windows. */
    private final IntProvenance stride;
    /** The number of windows produced. */
    private final IntProvenance numWindows;
    /** When the windows were built. */
    private final DateTimeProvenance creationTime;
    /** The provenance of the output factory. */
    private final OutputFactoryProvenance outputFactoryProvenance;

    /**
     * Creates the provenance of windowing {@code series} with {@code windows}, stamped with the current time.
     *
     * @param description   A description of where the series came from (e.g. a file path).
     * @param series        The windowed series.
     * @param windows       The window configuration.
     * @param outputFactory The output factory of the dataset.
     */
    public WindowedSeriesProvenance(String description, MultivariateSeries series, SlidingWindows windows,
                                    OutputFactory<?> outputFactory) {
        this.description = new StringProvenance(DESCRIPTION, Objects.requireNonNull(description, "description must not be null"));
        this.seriesName = new StringProvenance(SERIES_NAME, series.name());
        this.numSteps = new IntProvenance(NUM_STEPS, series.numSteps());
        this.numVariables = new IntProvenance(NUM_VARIABLES, series.numVariables());
        this.labelled = new BooleanProvenance(LABELLED, series.hasLabels());
        this.windowLength = new IntProvenance(WINDOW_LENGTH, windows.windowLength());
        this.stride = new IntProvenance(STRIDE, windows.stride());
        this.numWindows = new IntProvenance(NUM_WINDOWS, windows.numWindows(series.numSteps()));
        this.creationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, OffsetDateTime.now());
        this.outputFactoryProvenance = outputFactory.getProvenance();
    }

    /**
     * Deserialization constructor, used by OLCUT's provenance unmarshalling.
     *
     * @param map The provenance elements.
     */
    public WindowedSeriesProvenance(Map<String, Provenance> map) {
        String host = WindowedSeriesProvenance.class.getSimpleName();
        this.description = ObjectProvenance.checkAndExtractProvenance(map, DESCRIPTION, StringProvenance.class, host);
        this.seriesName = ObjectProvenance.checkAndExtractProvenance(map, SERIES_NAME, StringProvenance.class, host);
        this.numSteps = ObjectProvenance.checkAndExtractProvenance(map, NUM_STEPS, IntProvenance.class, host);
        this.numVariables = ObjectProvenance.checkAndExtractProvenance(map, NUM_VARIABLES, IntProvenance.class, host);
        this.labelled = ObjectProvenance.checkAndExtractProvenance(map, LABELLED, BooleanProvenance.class, host);
        this.windowLength = ObjectProvenance.checkAndExtractProvenance(map, WINDOW_LENGTH, IntProvenance.class, host);
        this.stride = ObjectProvenance.checkAndExtractProvenance(map, STRIDE, IntProvenance.class, host);
        this.numWindows = ObjectProvenance.checkAndExtractProvenance(map, NUM_WINDOWS, IntProvenance.class, host);
        this.creationTime = ObjectProvenance.checkAndExtractProvenance(map, DATASOURCE_CREATION_TIME, DateTimeProvenance.class, host);
        this.outputFactoryProvenance = ObjectProvenance.checkAndExtractProvenance(map, OUTPUT_FACTORY, OutputFactoryProvenance.class, host);
    }

    /**
     * Returns the caller-supplied description of the source.
     *
     * @return The description.
     */
    public String description() {
        return description.getValue();
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
     * Returns the window length L.
     *
     * @return The window length.
     */
    public int windowLength() {
        return windowLength.getValue();
    }

    /**
     * Returns the stride s.
     *
     * @return The stride.
     */
    public int stride() {
        return stride.getValue();
    }

    /**
     * Returns the number of windows, i.e. examples in the dataset.
     *
     * @return The number of windows.
     */
    public int numWindows() {
        return numWindows.getValue();
    }

    @Override
    public String getClassName() {
        return className;
    }

    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> list = new ArrayList<>();
        list.add(new Pair<>(DESCRIPTION, description));
        list.add(new Pair<>(SERIES_NAME, seriesName));
        list.add(new Pair<>(NUM_STEPS, numSteps));
        list.add(new Pair<>(NUM_VARIABLES, numVariables));
        list.add(new Pair<>(LABELLED, labelled));
        list.add(new Pair<>(WINDOW_LENGTH, windowLength));
        list.add(new Pair<>(STRIDE, stride));
        list.add(new Pair<>(NUM_WINDOWS, numWindows));
        list.add(new Pair<>(OUTPUT_FACTORY, outputFactoryProvenance));
        list.add(new Pair<>(DATASOURCE_CREATION_TIME, creationTime));
        return list.iterator();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WindowedSeriesProvenance)) {
            return false;
        }
        WindowedSeriesProvenance other = (WindowedSeriesProvenance) o;
        return className.equals(other.className)
                && description.equals(other.description)
                && seriesName.equals(other.seriesName)
                && numSteps.equals(other.numSteps)
                && numVariables.equals(other.numVariables)
                && labelled.equals(other.labelled)
                && windowLength.equals(other.windowLength)
                && stride.equals(other.stride)
                && numWindows.equals(other.numWindows)
                && creationTime.equals(other.creationTime)
                && outputFactoryProvenance.equals(other.outputFactoryProvenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(className, description, seriesName, numSteps, numVariables, labelled, windowLength,
                stride, numWindows, creationTime, outputFactoryProvenance);
    }

    @Override
    public String toString() {
        return generateString("WindowedSeries");
    }
}
