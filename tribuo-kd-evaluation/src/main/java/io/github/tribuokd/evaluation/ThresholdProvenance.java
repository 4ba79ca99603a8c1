package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.anomaly.RecordedValues;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Provenance of a fitted {@link Threshold}: the class name of the rule that produced it (returned by
 * {@link #getClassName()}), its settings and its fitted values, each stored as an OLCUT primitive provenance
 * ({@link DoubleProvenance}, {@link IntProvenance}, {@link LongProvenance}, {@link BooleanProvenance},
 * {@link StringProvenance}) under a fixed key.
 * <p>
 * The keys used by the rules of this package are the {@code public static final String} constants of this class
 * (for example {@link #Q}, {@link #GAMMA}, {@link #TAU}). Values are kept in key order, so iteration and
 * {@link #toString()} are deterministic. The object is immutable and survives an OLCUT marshalling round trip
 * ({@code ProvenanceUtil.marshalProvenance} / {@code ProvenanceUtil.unmarshalProvenance}) through the public
 * {@link #ThresholdProvenance(Map)} constructor.
 */
public final class ThresholdProvenance implements ObjectProvenance, RecordedValues {
    private static final long serialVersionUID = 1L;

    /** Key of the fitted threshold value {@code θ} (a double). */
    public static final String THRESHOLD = "threshold";
    /** Key of the quantile or risk {@code q} (a double). */
    public static final String Q = "q";
    /** Key of the number of calibration scores the rule was fitted on (an int). */
    public static final String NUM_CALIBRATION_SCORES = "num-calibration-scores";
    /** Key of the quantile interpolation rule (a string). */
    public static final String INTERPOLATION = "interpolation";
    /** Key of POT's initial-threshold level (a double). */
    public static final String LEVEL = "level";
    /** Key of the number of observations {@code n} in POT's threshold formula (a long). */
    public static final String NUM_OBSERVATIONS = "num-observations";
    /** Key of POT's initial threshold {@code t} (a double). */
    public static final String INITIAL_THRESHOLD = "initial-threshold";
    /** Key of the generalized Pareto shape {@code γ} (a double). */
    public static final String GAMMA = "gamma";
    /** Key of the generalized Pareto scale {@code σ} (a double). */
    public static final String SIGMA = "sigma";
    /** Key of the number of peaks {@code N_t} (an int). */
    public static final String NUM_PEAKS = "num-peaks";
    /** Key of whether the {@code γ = 0} (exponential) formula was used for the threshold (a boolean). */
    public static final String EXPONENTIAL_BRANCH = "exponential-branch";
    /** Key of which Grimshaw candidate won the likelihood comparison (a string, see {@link GeneralizedParetoFit.Candidate}). */
    public static final String GPD_CANDIDATE = "gpd-candidate";
    /** Key of the number of roots of Grimshaw's equation that were found (an int). */
    public static final String GPD_NUM_ROOTS = "gpd-num-roots";
    /** Key of the maximised generalized Pareto log-likelihood (a double). */
    public static final String GPD_LOG_LIKELIHOOD = "gpd-log-likelihood";
    /** Key of the number of streaming SPOT updates flagged as anomalous (a long). */
    public static final String NUM_STREAM_ANOMALIES = "num-stream-anomalies";
    /** Key of the Mahalanobis score threshold {@code τ} (a double). */
    public static final String TAU = "tau";
    /** Key of the window count {@code c} of the Mahalanobis count rule (an int). */
    public static final String MIN_COUNT = "c";
    /** Key of the error-vector dimension {@code m} (an int). */
    public static final String DIMENSION = "dimension";
    /** Key of the ridge {@code λ} added to the covariance diagonal, 0 when none (a double). */
    public static final String RIDGE = "ridge";
    /** Key of whether the fitted covariance {@code Σ} was numerically singular (a boolean). */
    public static final String COVARIANCE_SINGULAR = "covariance-singular";

    /** The rule's class name, under {@value ObjectProvenance#CLASS_NAME}. */
    private final StringProvenance className;
    /** The settings and fitted values, in key order, unmodifiable. */
    private final Map<String, Provenance> values;

    /**
     * Creates the provenance of a fitted threshold rule.
     * @param ruleClassName The fully qualified class name of the rule that produced the threshold.
     * @param values The settings and fitted values, keyed by name; each value is a primitive provenance whose
     *               own key equals its map key. The key {@value ObjectProvenance#CLASS_NAME} is reserved.
     * @throws IllegalArgumentException If the class name is null or empty, a value is null, is not a
     *                                  {@link PrimitiveProvenance}, has a key different from its map key, or uses
     *                                  the reserved key.
     */
    public ThresholdProvenance(String ruleClassName, Map<String, ? extends Provenance> values) {
        if (ruleClassName == null || ruleClassName.isEmpty()) {
            throw new IllegalArgumentException("ThresholdProvenance: the rule class name must be non-empty");
        }
        Objects.requireNonNull(values, "values");
        if (values.containsKey(CLASS_NAME)) {
            throw new IllegalArgumentException("ThresholdProvenance: the key '" + CLASS_NAME + "' is reserved");
        }
        this.className = new StringProvenance(CLASS_NAME, ruleClassName);
        this.values = RecordedValues.copyChecked("ThresholdProvenance", values);
    }

    /**
     * Unmarshalling constructor used by OLCUT ({@code ProvenanceUtil.unmarshalProvenance}).
     * @param map The provenances, including the rule class name under {@value ObjectProvenance#CLASS_NAME}.
     */
    public ThresholdProvenance(Map<String, Provenance> map) {
        this.className = ObjectProvenance.checkAndExtractProvenance(map, CLASS_NAME, StringProvenance.class,
                ThresholdProvenance.class.getSimpleName());
        Map<String, Provenance> rest = new TreeMap<>(map);
        rest.remove(CLASS_NAME);
        this.values = RecordedValues.copyChecked("ThresholdProvenance", rest);
    }

    /**
     * The fully qualified class name of the threshold rule that produced this provenance.
     * @return The rule's class name.
     */
    @Override
    public String getClassName() {
        return className.getValue();
    }

    /**
     * The recorded settings and fitted values, in key order (without the class name).
     * @return An unmodifiable view of the values.
     */
    @Override
    public Map<String, Provenance> getValues() {
        return values;
    }

    /**
     * Iterates over the class name (first, under {@value ObjectProvenance#CLASS_NAME}) and then the recorded
     * values in key order.
     * @return An iterator over (key, provenance) pairs.
     */
    @Override
    public Iterator<Pair<String, Provenance>> iterator() {
        List<Pair<String, Provenance>> list = new ArrayList<>(values.size() + 1);
        list.add(new Pair<>(CLASS_NAME, className));
        for (Map.Entry<String, Provenance> e : values.entrySet()) {
            list.add(new Pair<>(e.getKey(), e.getValue()));
        }
        return list.iterator();
    }

    /**
     * Two threshold provenances are equal when they name the same rule class and record the same values.
     * @param o The other object.
     * @return True if equal.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ThresholdProvenance)) {
            return false;
        }
        ThresholdProvenance that = (ThresholdProvenance) o;
        return className.equals(that.className) && values.equals(that.values);
    }

    /**
     * Hash code consistent with {@link #equals(Object)}.
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return Objects.hash(className, values);
    }

    /**
     * A readable rendering of the class name and all values, in OLCUT's provenance string format.
     * @return The string.
     */
    @Override
    public String toString() {
        return generateString("ThresholdProvenance");
    }
}
