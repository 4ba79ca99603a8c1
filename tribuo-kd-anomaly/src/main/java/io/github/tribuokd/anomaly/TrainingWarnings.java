package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.Model;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The warnings a trainer of this library raised about its training data, kept in the model's provenance so that
 * they travel with the model (into its protobuf file, its ONNX metadata and every report) instead of scrolling
 * past in a log.
 * <p>
 * A warning is a sentence about degenerate training data that did not stop training: features that are constant
 * over the fitting examples, or a calibration tail whose scores fall outside the range of the fitting examples'
 * scores (docs/RELIABILITY.md, "Runs and degenerate training"). Data too degenerate to train on is refused with an
 * {@link IllegalArgumentException} instead. The trainers also log every warning at level WARNING.
 * <p>
 * Storage: instance provenance {@value #PROVENANCE_KEY}, a list of strings, present only when there is at least
 * one warning (a model trained on clean data has the same provenance as before this key existed).
 */
public final class TrainingWarnings {

    /** The instance-provenance key of the warnings. */
    public static final String PROVENANCE_KEY = "training-warnings";

    private TrainingWarnings() { }

    /**
     * The training warnings recorded in a model's provenance.
     * @param model A model.
     * @return The warnings in the order they were raised (empty when there were none or the model is not one of
     * this library's).
     */
    public static List<String> of(Model<?> model) {
        return of(model.getProvenance());
    }

    /**
     * The training warnings recorded in a model provenance.
     * @param provenance A model provenance.
     * @return The warnings in the order they were raised (empty when there were none).
     */
    public static List<String> of(ModelProvenance provenance) {
        Provenance p = provenance.getInstanceProvenance().getMap().get(PROVENANCE_KEY);
        if (!(p instanceof ListProvenance)) {
            return Collections.emptyList();
        }
        List<String> out = new ArrayList<>();
        for (Object item : ((ListProvenance<?>) p).getList()) {
            out.add(item instanceof StringProvenance ? ((StringProvenance) item).getValue() : String.valueOf(item));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * A copy of a model provenance with warnings added under {@value #PROVENANCE_KEY} (after any it already holds).
     * @param provenance The provenance.
     * @param warnings The warnings to add.
     * @return The provenance itself when {@code warnings} is empty, otherwise the copy.
     */
    public static ModelProvenance record(ModelProvenance provenance, List<String> warnings) {
        if (warnings.isEmpty()) {
            return provenance;
        }
        List<StringProvenance> all = new ArrayList<>();
        for (String w : of(provenance)) {
            all.add(new StringProvenance(PROVENANCE_KEY, w));
        }
        for (String w : warnings) {
            all.add(new StringProvenance(PROVENANCE_KEY, w));
        }
        Map<String, Provenance> instance =
                new HashMap<String, Provenance>(provenance.getInstanceProvenance().getMap());
        instance.put(PROVENANCE_KEY, new ListProvenance<>(all));
        return new ModelProvenance(provenance.getClassName(), provenance.getTrainingTime(),
                provenance.getDatasetProvenance(), provenance.getTrainerProvenance(), instance);
    }
}
