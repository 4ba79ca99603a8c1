package io.github.tribuokd.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * How faithfully a student reproduces its teacher's scores on one set of inputs, without labels: Spearman's rank
 * correlation ρ of the paired scores ({@link RankCorrelation}: does the student order inputs as the teacher does?)
 * and the Earth Mover's Distance between the two score distributions ({@link EarthMoversDistance}: are its scores
 * on the teacher's scale?), the latter after a monotone map such as the student's training target
 * {@code ln(score + ε)}.
 * <p>
 * Reports measure it on the calibration tail (normal inputs the student never trained on) and on a held-aside set
 * of exposed inputs (away from the normal data, where anomalies lie and a student trained on normal inputs only
 * must extrapolate).
 */
public final class ScoreFidelity {

    private final String set;
    private final int size;
    private final double spearman;
    private final double emd;

    private ScoreFidelity(String set, int size, double spearman, double emd) {
        this.set = set;
        this.size = size;
        this.spearman = spearman;
        this.emd = emd;
    }

    /**
     * Measures the fidelity on one set.
     * @param set The set's name, e.g. {@code "calibration tail"}.
     * @param teacher The teacher's scores, finite.
     * @param student The student's scores of the same inputs, finite.
     * @param scale The map applied to both before the EMD (e.g. the log target), monotone.
     * @return The fidelity.
     */
    public static ScoreFidelity of(String set, double[] teacher, double[] student, DoubleUnaryOperator scale) {
        double rho = RankCorrelation.spearman(teacher, student);
        double[] t = new double[teacher.length];
        double[] s = new double[student.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = scale.applyAsDouble(teacher[i]);
            s[i] = scale.applyAsDouble(student[i]);
        }
        return new ScoreFidelity(set, teacher.length, rho, EarthMoversDistance.between(t, s));
    }

    /**
     * The set's name.
     * @return The name.
     */
    public String set() {
        return set;
    }

    /**
     * The number of inputs.
     * @return n.
     */
    public int size() {
        return size;
    }

    /**
     * Spearman's ρ between teacher and student scores.
     * @return ρ (NaN when either is constant).
     */
    public double spearman() {
        return spearman;
    }

    /**
     * The EMD between the mapped teacher and student scores.
     * @return The distance.
     */
    public double emd() {
        return emd;
    }

    /**
     * The fields for a JSON report: {@code inputs}, {@code spearman}, {@code emd}.
     * @return An ordered map.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inputs", size);
        m.put("spearman", spearman);
        m.put("emd", emd);
        return m;
    }
}
