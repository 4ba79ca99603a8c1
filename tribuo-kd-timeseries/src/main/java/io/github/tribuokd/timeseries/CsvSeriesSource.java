package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import org.tribuo.provenance.DataSourceProvenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SeriesSource} reading a CSV file with {@link CsvSeriesLoader}: the configurable form of that loader.
 * <p>
 * OLCUT properties: {@code path} (the CSV file, mandatory), {@code timeColumn} and {@code labelColumn} (header names,
 * optional), {@code variables} (a list of header names; absent or empty for every other column) and
 * {@code missingValues} (a {@link MissingValuePolicy}, default {@code ERROR}). The file's format and error policy
 * are {@link CsvSeriesLoader}'s. OLCUT records {@code path} in provenance as an absolute, normalised path, so a
 * configuration extracted from a model's provenance finds the file from any working directory, but not after the
 * file has moved.
 */
public final class CsvSeriesSource implements SeriesSource {

    @Config(mandatory = true, description = "The CSV file (header row required; gzip if the name ends in .gz).")
    private Path path;

    @Config(description = "Header name of the timestamp column, kept as raw text (optional).")
    private String timeColumn;

    @Config(description = "Header name of the label column: 0/1 or false/true, 1 = anomalous (optional).")
    private String labelColumn;

    @Config(description = "Header names of the variable columns, in order (default: every column except the "
            + "timestamp and label columns).")
    private List<String> variables = new ArrayList<>();

    @Config(description = "What to do with a missing value (empty, NaN, NA, null): ERROR, FORWARD_FILL or ZERO.")
    private MissingValuePolicy missingValues = MissingValuePolicy.ERROR;

    private CsvSeriesLoader loader;
    private CsvSeries loaded;
    private HashProvenance fileHash;
    private DateTimeProvenance fileModifiedTime;

    /** For OLCUT. */
    private CsvSeriesSource() { }

    /**
     * Creates a source reading every column of {@code path} as a variable, with no timestamp or label column and
     * missing values refused.
     *
     * @param path The CSV file.
     */
    public CsvSeriesSource(Path path) {
        this(path, null, null, null, MissingValuePolicy.ERROR);
    }

    /**
     * Creates a source; the file is read on the first {@link #load()}.
     *
     * @param path          The CSV file.
     * @param timeColumn    The timestamp column, or {@code null} for none.
     * @param labelColumn   The label column, or {@code null} for none.
     * @param variables     The variable columns in order, or {@code null}/empty for every other column.
     * @param missingValues The missing-value policy ({@code null}: {@link MissingValuePolicy#ERROR}).
     * @throws IllegalArgumentException If the settings are inconsistent (see
     *                                  {@link CsvSeriesLoader#CsvSeriesLoader(String, String, List, MissingValuePolicy)}).
     */
    public CsvSeriesSource(Path path, String timeColumn, String labelColumn, List<String> variables,
                           MissingValuePolicy missingValues) {
        this.path = path;
        this.timeColumn = timeColumn;
        this.labelColumn = labelColumn;
        this.variables = variables == null ? new ArrayList<>() : new ArrayList<>(variables);
        this.missingValues = missingValues == null ? MissingValuePolicy.ERROR : missingValues;
        postConfig();
    }

    /**
     * Checks the settings and builds the loader; called by OLCUT after configuration.
     *
     * @throws IllegalArgumentException If {@code path} is missing or the settings are inconsistent.
     */
    @Override
    public synchronized void postConfig() {
        if (path == null) {
            throw new IllegalArgumentException("path must be set to the CSV file");
        }
        loader = new CsvSeriesLoader(timeColumn, labelColumn, variables, missingValues);
    }

    /**
     * Returns the whole CSV result (series, variable names, raw timestamps), reading the file on the first call.
     *
     * @return The CSV series.
     * @throws IOException If the file cannot be read or is malformed ({@link SeriesFormatException}).
     */
    public synchronized CsvSeries loadCsv() throws IOException {
        if (loaded == null) {
            CsvSeries csv = loader.load(path);
            fileHash = new HashProvenance(ObjectProvenance.DEFAULT_HASH_TYPE, DataSourceProvenance.RESOURCE_HASH,
                    ProvenanceUtil.hashResource(ObjectProvenance.DEFAULT_HASH_TYPE, path));
            fileModifiedTime = new DateTimeProvenance(DataSourceProvenance.FILE_MODIFIED_TIME,
                    OffsetDateTime.ofInstant(Files.getLastModifiedTime(path).toInstant(), ZoneId.systemDefault()));
            loaded = csv;
        }
        return loaded;
    }

    @Override
    public MultivariateSeries load() throws IOException {
        return loadCsv().series();
    }

    @Override
    public List<String> variableNames() {
        try {
            return loadCsv().variableNames();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the CSV file.
     *
     * @return The path.
     */
    public Path path() {
        return path;
    }

    /**
     * Returns the loader this source delegates to.
     *
     * @return The loader.
     */
    public CsvSeriesLoader loader() {
        return loader;
    }

    @Override
    public synchronized ConfiguredObjectProvenance getProvenance() {
        return new SeriesSourceProvenance(this, fileHash, fileModifiedTime,
                loaded == null ? null : loaded.variableNames());
    }

    /**
     * Returns a description of the source.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "CsvSeriesSource(path=" + path + ", " + loader + ")";
    }
}
