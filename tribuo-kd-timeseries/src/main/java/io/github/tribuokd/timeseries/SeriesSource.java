package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Where a {@link MultivariateSeries} comes from, as a configurable part of a Tribuo pipeline: a file and the
 * settings needed to read it, recorded in provenance so that a model's provenance can rebuild its data
 * ({@link WindowedSeriesDataSource} nests a series source as an OLCUT {@code @Config} field).
 * <p>
 * Implementations read their source on the first call to {@link #load()} and keep the series: later calls return
 * the same series, so the file is read once per instance. Their provenance holds their configuration and, once
 * the series has been loaded, a SHA-256 hash of the file that was read.
 *
 * @see CsvSeriesSource
 * @see SmdSeriesSource
 */
public interface SeriesSource extends Configurable, Provenancable<ConfiguredObjectProvenance> {

    /**
     * Returns the series, reading the source on the first call.
     *
     * @return The series.
     * @throws IOException If the source cannot be read; a malformed file gives a {@link SeriesFormatException}
     *                     naming the file, line and column.
     */
    MultivariateSeries load() throws IOException;

    /**
     * Returns the name of every variable of the series, in variable order. Reads the source if it has not been
     * read yet.
     *
     * @return An unmodifiable list of {@code load().numVariables()} names.
     * @throws UncheckedIOException If the source has to be read and cannot be.
     */
    List<String> variableNames();
}
