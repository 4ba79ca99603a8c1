package io.github.tribuokd.timeseries;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.AbstractScoredAnomalyModel;
import io.github.tribuokd.anomaly.ModelFiles;
import io.github.tribuokd.anomaly.WindowLayout;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.provenance.DataProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A detector trained on the windows of a CSV series, with what its provenance says about that series: the model
 * ({@link AbstractScoredAnomalyModel} over {@code t<step>.v<variable>} window features), its {@link WindowLayout}
 * (window length and variable (column) names), and the time column and label column of the
 * {@link CsvSeriesSource} it was trained from. This is
 * what the {@code score} and {@code export} commands need to read a new CSV the way the training CSV was read.
 * Immutable.
 */
public final class WindowedSeriesModel {

    /** ONNX metadata key: the window length L. */
    public static final String META_WINDOW_LENGTH = "tribuo-kd.window-length";
    /** ONNX metadata key: the variable (column) names in window order, comma-separated. */
    public static final String META_VARIABLES = "tribuo-kd.variables";
    /** ONNX metadata key: how to flatten a window. */
    public static final String META_LAYOUT = "tribuo-kd.window-layout";

    private final AbstractScoredAnomalyModel model;
    /** The window layout, with the variables named. */
    private final WindowLayout layout;
    private final String timeColumn;
    private final String labelColumn;

    private WindowedSeriesModel(AbstractScoredAnomalyModel model, WindowLayout layout, String timeColumn,
                                String labelColumn) {
        this.model = model;
        this.layout = layout;
        this.timeColumn = timeColumn;
        this.labelColumn = labelColumn;
    }

    /**
     * Reads a model file written by {@link Model#serializeToFile} (protobuf), through {@link ModelFiles#load}: a file
     * that cannot be loaded is reported with its name and the real reason (e.g. "the content checksum does not
     * match"), not Tribuo's wrapper message.
     * @param file The file.
     * @return The model with its series description.
     * @throws IOException If the file is missing ({@link NoSuchFileException}), damaged, or is not a model of this
     *                     library trained on a CSV series.
     */
    public static WindowedSeriesModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        Model<?> loaded = ModelFiles.load(file, Model.class);
        if (!(loaded instanceof AbstractScoredAnomalyModel)) {
            throw new IOException(file + ": holds a " + loaded.getClass().getName()
                    + ", not a windowed anomaly detector of this library");
        }
        try {
            return of((AbstractScoredAnomalyModel) loaded);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Describes a trained model from its own feature names and provenance.
     * @param model A detector trained on a {@link WindowedSeriesDataSource} over a {@link CsvSeriesSource}, or on
     *              any window dataset (then the variables are named {@code v0, v1, ...}).
     * @return The description.
     * @throws IllegalArgumentException If the model's features are not window features.
     */
    public static WindowedSeriesModel of(AbstractScoredAnomalyModel model) {
        Objects.requireNonNull(model, "model");
        WindowLayout layout = WindowLayout.of(model.getFeatureIDMap(), model.getClass().getSimpleName());
        DataProvenance source = model.getProvenance().getDatasetProvenance().getSourceProvenance();
        List<String> variables = stringList(source, "variables");
        if (variables.isEmpty()) {
            // Configured as "every column": the names as read are in the source's instance provenance.
            String read = string(source, SeriesSourceProvenance.VARIABLE_NAMES);
            if (read != null) {
                variables = SeriesSourceProvenance.decode(read);
            }
        }
        if (variables.isEmpty()) {
            // unnamed: v0, v1, ... (WindowLayout.variableNames)
            variables = layout.variableNames();
        } else if (variables.size() != layout.variables()) {
            throw new IllegalArgumentException("the model reads " + layout.variables()
                    + " variables per step but its training source lists " + variables.size() + ": " + variables);
        }
        return new WindowedSeriesModel(model, layout.withVariableNames(variables), string(source, "timeColumn"),
                string(source, "labelColumn"));
    }

    /**
     * The detector.
     * @return The model.
     */
    public AbstractScoredAnomalyModel model() {
        return model;
    }

    /**
     * The window layout the model reads: window length, variable (column) names, feature names.
     * @return The layout, with its variables named.
     */
    public WindowLayout layout() {
        return layout;
    }

    /**
     * The window length L.
     * @return L.
     */
    public int windowLength() {
        return layout.steps();
    }

    /**
     * The variable (column) names the model reads, in window order.
     * @return The names.
     */
    public List<String> variables() {
        return layout.variableNames();
    }

    /**
     * The time column of the training CSV.
     * @return Its name, if there was one.
     */
    public Optional<String> timeColumn() {
        return Optional.ofNullable(timeColumn);
    }

    /**
     * The label column of the training CSV.
     * @return Its name, if there was one.
     */
    public Optional<String> labelColumn() {
        return Optional.ofNullable(labelColumn);
    }

    /**
     * Scores every point of a series with the model's variables in the model's order.
     * @param series The series.
     * @return The point scores and decisions.
     */
    public SeriesScores score(MultivariateSeries series) {
        return SeriesScores.of(model, series);
    }

    /**
     * Exports the model to ONNX (score and decision, see {@code OnnxDetectorExport}) with the window length and the
     * variable names added to the metadata.
     * @param domain The ONNX domain.
     * @param modelVersion The model version.
     * @return The ONNX model.
     * @throws IllegalStateException If the model cannot be exported (the message names the part that cannot).
     */
    public OnnxMl.ModelProto exportOnnx(String domain, long modelVersion) {
        if (!(model instanceof ONNXExportable)) {
            throw new IllegalStateException(model.getClass().getSimpleName() + " cannot be exported to ONNX; the "
                    + "exportable detectors are the autoencoders, the distilled students with an ONNX-exportable "
                    + "student and PCA reconstruction");
        }
        OnnxMl.ModelProto proto = ((ONNXExportable) model).exportONNXModel(domain, modelVersion);
        OnnxMl.ModelProto.Builder b = proto.toBuilder();
        b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(META_WINDOW_LENGTH)
                .setValue(Integer.toString(layout.steps())));
        b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(META_VARIABLES)
                .setValue(String.join(",", layout.variableNames())));
        b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(META_LAYOUT)
                .setValue(WindowLayout.FLATTENING));
        return b.build();
    }

    /** The first primitive value named {@code key} anywhere in the provenance tree, as text, or null. */
    private static String string(Provenance p, String key) {
        Provenance found = find(p, key);
        if (found instanceof PrimitiveProvenance) {
            Object value = ((PrimitiveProvenance<?>) found).getValue();
            String text = value == null ? null : value.toString();
            return text == null || text.isEmpty() ? null : text;
        }
        return null;
    }

    /** The first list of strings named {@code key} anywhere in the provenance tree, or an empty list. */
    private static List<String> stringList(Provenance p, String key) {
        Provenance found = find(p, key);
        List<String> out = new ArrayList<>();
        if (found instanceof ListProvenance) {
            for (Provenance item : ((ListProvenance<?>) found).getList()) {
                if (item instanceof PrimitiveProvenance) {
                    out.add(String.valueOf(((PrimitiveProvenance<?>) item).getValue()));
                }
            }
        }
        return out;
    }

    private static Provenance find(Provenance p, String key) {
        if (p instanceof ObjectProvenance) {
            for (Pair<String, Provenance> entry : (ObjectProvenance) p) {
                if (entry.getA().equals(key)) {
                    return entry.getB();
                }
            }
            for (Pair<String, Provenance> entry : (ObjectProvenance) p) {
                Provenance inner = find(entry.getB(), key);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
