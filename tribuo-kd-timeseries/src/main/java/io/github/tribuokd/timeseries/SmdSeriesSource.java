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
import java.util.List;

/**
 * A {@link SeriesSource} reading one entity of a dataset in the SMD layout (SMD, MSL, SMAP) with
 * {@link SmdLoader#load(Path, String)}: the unlabelled training series or the labelled test series.
 * <p>
 * OLCUT properties: {@code directory} (the dataset folder holding {@code train/}, {@code test/} and
 * {@code test_label/}, mandatory), {@code entity} (e.g. {@code machine-1-2}, mandatory) and {@code part}
 * ({@code TRAIN} or {@code TEST}, default {@code TRAIN}). The files carry no column names, so the variables are
 * named {@code v0, v1, ...} zero-padded to a common width ({@code v00 ... v37} for 38 variables), as in the feature
 * names of {@link SlidingWindows#featureNames(int, int)}. The provenance hashes the part's values file and, like
 * {@link CsvSeriesSource}'s, records {@code directory} as an absolute, normalised path.
 */
public final class SmdSeriesSource implements SeriesSource {

    /** Which series of an entity to read. */
    public enum Part {
        /** The training series, {@code train/<entity>.txt[.gz]}, unlabelled. */
        TRAIN,
        /** The test series, {@code test/<entity>.txt[.gz]}, labelled from {@code test_label/<entity>.txt[.gz]}. */
        TEST
    }

    @Config(mandatory = true, description = "The dataset folder holding train/, test/ and test_label/.")
    private Path directory;

    @Config(mandatory = true, description = "The entity (file name without extension), e.g. machine-1-2.")
    private String entity;

    @Config(description = "Which series to read: TRAIN (unlabelled) or TEST (labelled).")
    private Part part = Part.TRAIN;

    private MultivariateSeries loaded;
    private List<String> names;
    private HashProvenance fileHash;
    private DateTimeProvenance fileModifiedTime;

    /** For OLCUT. */
    private SmdSeriesSource() { }

    /**
     * Creates a source; the files are read on the first {@link #load()}.
     *
     * @param directory The dataset folder.
     * @param entity    The entity name.
     * @param part      Which series to read.
     * @throws IllegalArgumentException If an argument is missing or the entity name is not a plain file name.
     */
    public SmdSeriesSource(Path directory, String entity, Part part) {
        this.directory = directory;
        this.entity = entity;
        this.part = part;
        postConfig();
    }

    /**
     * Checks the settings; called by OLCUT after configuration.
     *
     * @throws IllegalArgumentException If {@code directory}, {@code entity} or {@code part} is missing or the
     *                                  entity name contains a path separator.
     */
    @Override
    public void postConfig() {
        if (directory == null) {
            throw new IllegalArgumentException("directory must be set to the dataset folder");
        }
        if (entity == null || entity.isBlank() || entity.indexOf('/') >= 0 || entity.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("entity must be a plain file name without extension, found '"
                    + entity + "'");
        }
        if (part == null) {
            throw new IllegalArgumentException("part must be TRAIN or TEST");
        }
    }

    /**
     * Returns the series, reading the entity's files on the first call (the training, test and label files are
     * all read, so that their consistency is checked as by {@link SmdLoader#load(Path, String)}).
     *
     * @return The training or test series of the entity, as {@link SmdLoader} names it.
     * @throws IOException If a file is missing or malformed.
     */
    @Override
    public synchronized MultivariateSeries load() throws IOException {
        if (loaded == null) {
            SmdEntity e = SmdLoader.load(directory, entity);
            MultivariateSeries series = part == Part.TRAIN ? e.train() : e.test();
            Path file = SmdLoader.resolve(directory, part == Part.TRAIN ? SmdLoader.TRAIN_DIR : SmdLoader.TEST_DIR,
                    entity);
            fileHash = new HashProvenance(ObjectProvenance.DEFAULT_HASH_TYPE, DataSourceProvenance.RESOURCE_HASH,
                    ProvenanceUtil.hashResource(ObjectProvenance.DEFAULT_HASH_TYPE, file));
            fileModifiedTime = new DateTimeProvenance(DataSourceProvenance.FILE_MODIFIED_TIME,
                    OffsetDateTime.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneId.systemDefault()));
            names = variableNames(series.numVariables());
            loaded = series;
        }
        return loaded;
    }

    /**
     * Returns the generated variable names {@code v0..}, zero-padded to the width of the largest index.
     *
     * @param numVariables The number of variables, at least 1.
     * @return An unmodifiable list of names.
     */
    static List<String> variableNames(int numVariables) {
        String[] names = new String[numVariables];
        int width = Integer.toString(numVariables - 1).length();
        for (int v = 0; v < numVariables; v++) {
            String digits = Integer.toString(v);
            names[v] = "v" + "0".repeat(width - digits.length()) + digits;
        }
        return List.of(names);
    }

    @Override
    public synchronized List<String> variableNames() {
        try {
            load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /**
     * Returns the dataset folder.
     *
     * @return The folder.
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the entity name.
     *
     * @return The entity.
     */
    public String entity() {
        return entity;
    }

    /**
     * Returns which series of the entity this source reads.
     *
     * @return The part.
     */
    public Part part() {
        return part;
    }

    @Override
    public synchronized ConfiguredObjectProvenance getProvenance() {
        return new SeriesSourceProvenance(this, fileHash, fileModifiedTime, loaded == null ? null : names);
    }

    /**
     * Returns a description of the source.
     *
     * @return The description.
     */
    @Override
    public String toString() {
        return "SmdSeriesSource(directory=" + directory + ", entity=" + entity + ", part=" + part + ")";
    }
}
