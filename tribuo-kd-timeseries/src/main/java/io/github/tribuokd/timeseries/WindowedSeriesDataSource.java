package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.config.Config;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The sliding windows of a series as a configurable Tribuo data source: one {@code Example<Event>} per window of
 * length L and stride s over the time steps {@code [firstStep, lastStep]} of the series a {@link SeriesSource}
 * reads. The examples are exactly those of {@link SlidingWindows#toDataset(MultivariateSeries, String)} on that
 * range (the two share one windowing routine): window {@code w} flattened time-major under the zero-padded names
 * {@code t<t>.v<v>}, ANOMALOUS when one of its points is labelled 1, else EXPECTED.
 * <p>
 * Its provenance is a {@link ConfiguredDataSourceProvenance} nesting the series source's, so that
 * {@code ProvenanceUtil.extractConfiguration(model.getProvenance())} loaded into an OLCUT
 * {@code ConfigurationManager} rebuilds this data source (and the trainer) and the model can be retrained on the same
 * windows.
 * <p>
 * OLCUT properties: {@code series} (a {@link SeriesSource} component, mandatory), {@code windowLength} (L,
 * mandatory), {@code stride} (s, default 1), {@code firstStep} (first time step used, default 0), {@code lastStep}
 * (last time step used, inclusive; default -1, the end of the series) and {@code outputFactory} (an
 * {@link AnomalyFactory}, created when absent).
 * <p>
 * The series is read once, when the data source is configured or constructed, so that a bad file or window setting
 * fails there with a clear message; {@link #series()} returns it (the windowed range) for callers that map window
 * scores back to time steps ({@link PointScores}).
 */
public final class WindowedSeriesDataSource implements ConfigurableDataSource<Event> {

    @Config(mandatory = true, description = "Where the series comes from.")
    private SeriesSource series;

    @Config(mandatory = true, description = "The window length L, at least 1.")
    private int windowLength;

    @Config(description = "The stride s between window starts, at least 1.")
    private int stride = 1;

    @Config(description = "The first time step (0-based) of the range windowed.")
    private int firstStep = 0;

    @Config(description = "The last time step (0-based, inclusive) of the range windowed; -1 for the last step of "
            + "the series.")
    private int lastStep = -1;

    @Config(description = "The output factory of the examples.")
    private AnomalyFactory outputFactory = new AnomalyFactory();

    private SlidingWindows windows;
    private MultivariateSeries windowed;
    private int resolvedLastStep;
    private WindowedSeriesDataSourceProvenance provenance;

    /** For OLCUT. */
    private WindowedSeriesDataSource() { }

    /**
     * Creates a data source over the whole series, reading it now.
     *
     * @param series       Where the series comes from.
     * @param windowLength The window length L, at least 1.
     * @param stride       The stride s, at least 1.
     * @throws IOException              If the series cannot be read.
     * @throws IllegalArgumentException If L or s is less than 1 or the series is shorter than a window.
     */
    public WindowedSeriesDataSource(SeriesSource series, int windowLength, int stride) throws IOException {
        this(series, windowLength, stride, 0, -1);
    }

    /**
     * Creates a data source over the time steps {@code [firstStep, lastStep]} of the series, reading it now.
     *
     * @param series       Where the series comes from.
     * @param windowLength The window length L, at least 1.
     * @param stride       The stride s, at least 1.
     * @param firstStep    The first time step used, at least 0.
     * @param lastStep     The last time step used (inclusive), or -1 for the last step of the series.
     * @throws IOException              If the series cannot be read.
     * @throws IllegalArgumentException If L or s is less than 1, the range is empty or outside the series, or it is
     *                                  shorter than a window.
     */
    public WindowedSeriesDataSource(SeriesSource series, int windowLength, int stride, int firstStep, int lastStep)
            throws IOException {
        this.series = series;
        this.windowLength = windowLength;
        this.stride = stride;
        this.firstStep = firstStep;
        this.lastStep = lastStep;
        postConfig();
    }

    /**
     * Checks the settings and reads the series; called by OLCUT after configuration.
     *
     * @throws IOException              If the series cannot be read.
     * @throws IllegalArgumentException If a setting is invalid or the range is shorter than a window.
     */
    @Override
    public synchronized void postConfig() throws IOException {
        if (series == null) {
            throw new IllegalArgumentException("series must be set to a SeriesSource");
        }
        if (outputFactory == null) {
            outputFactory = new AnomalyFactory();
        }
        if (firstStep < 0) {
            throw new IllegalArgumentException("firstStep must not be negative, found " + firstStep);
        }
        if (lastStep < -1) {
            throw new IllegalArgumentException("lastStep must be a time step, or -1 for the end of the series, found "
                    + lastStep);
        }
        windows = new SlidingWindows(windowLength, stride);
        MultivariateSeries full = series.load();
        int last = lastStep == -1 ? full.numSteps() - 1 : lastStep;
        if (last >= full.numSteps() || firstStep > last) {
            throw new IllegalArgumentException("time steps [" + firstStep + ", " + last + "] (firstStep, lastStep) "
                    + "are empty or outside the series '" + full.name() + "' of " + full.numSteps() + " steps [0, "
                    + (full.numSteps() - 1) + "]");
        }
        MultivariateSeries range = firstStep == 0 && last == full.numSteps() - 1 ? full
                : full.slice(firstStep, last + 1);
        int numWindows = windows.requireWindows(range, String.valueOf(series));
        if (series.variableNames().size() != full.numVariables()) {
            throw new IllegalStateException(series + " names " + series.variableNames().size() + " variables but "
                    + "its series has " + full.numVariables());
        }
        windowed = range;
        resolvedLastStep = last;
        provenance = new WindowedSeriesDataSourceProvenance(this, range, numWindows);
    }

    /**
     * Iterates over the windows in order; every call builds fresh examples.
     *
     * @return An iterator over {@link #numWindows()} examples.
     */
    @Override
    public Iterator<Example<Event>> iterator() {
        return windows.exampleIterator(windowed);
    }

    @Override
    public AnomalyFactory getOutputFactory() {
        return outputFactory;
    }

    @Override
    public ConfiguredDataSourceProvenance getProvenance() {
        return provenance;
    }

    /**
     * Returns the windowed series: the time steps {@code [firstStep(), lastStep()]} of the source's series (the
     * source's series itself when that is the whole of it). Window {@code w} covers its steps
     * {@code [w*s, w*s+L-1]}, i.e. the source's steps {@code firstStep() + w*s ...}.
     *
     * @return The series.
     */
    public MultivariateSeries series() {
        return windowed;
    }

    /**
     * Returns the source the series is read from.
     *
     * @return The series source.
     */
    public SeriesSource seriesSource() {
        return series;
    }

    /**
     * Returns the names of the series' variables ({@code v} in the feature name {@code t<t>.v<v>} indexes them).
     *
     * @return An unmodifiable list of names.
     */
    public List<String> variableNames() {
        return series.variableNames();
    }

    /**
     * Returns the window length L.
     *
     * @return The window length.
     */
    public int windowLength() {
        return windowLength;
    }

    /**
     * Returns the stride s.
     *
     * @return The stride.
     */
    public int stride() {
        return stride;
    }

    /**
     * Returns the first time step of the source's series that is windowed.
     *
     * @return The first step.
     */
    public int firstStep() {
        return firstStep;
    }

    /**
     * Returns the last time step of the source's series that is windowed (inclusive), with -1 resolved to the
     * series' last step.
     *
     * @return The last step.
     */
    public int lastStep() {
        return resolvedLastStep;
    }

    /**
     * Returns the window configuration (for {@link SlidingWindows#windowStart(int)},
     * {@link SlidingWindows#windowValues(MultivariateSeries, int, float[])} and the like on {@link #series()}).
     *
     * @return The sliding windows.
     */
    public SlidingWindows slidingWindows() {
        return windows;
    }

    /**
     * Returns the number of windows, i.e. of examples.
     *
     * @return The number of windows.
     */
    public int numWindows() {
        return windows.numWindows(windowed.numSteps());
    }

    /**
     * Returns a description of the data source.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "WindowedSeriesDataSource(series=" + series + ", windowLength=" + windowLength + ", stride=" + stride
                + ", steps=[" + firstStep + ", " + resolvedLastStep + "], windows=" + numWindows() + ")";
    }
}
