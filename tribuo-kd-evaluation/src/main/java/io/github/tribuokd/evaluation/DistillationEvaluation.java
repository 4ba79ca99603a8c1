package io.github.tribuokd.evaluation;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Teacher vs student on the same time-ordered data (Pol et al., seed 001 ("Knowledge Distillation for Anomaly Detection", arXiv 2023; docs/PAPERS.md), §3): every metric of both
 * ({@link AnomalyMetrics}, each at its own threshold, with random baselines) and the student-minus-teacher
 * differences; the Earth Mover's Distance between their score distributions separately on inliers and outliers,
 * in the scale the student was trained on (e.g. {@code ln(s + ε)}); parameter counts; scoring time per example.
 */
public final class DistillationEvaluation {

    private final AnomalyMetrics teacher;
    private final AnomalyMetrics student;
    private final double emdInliers;
    private final double emdOutliers;
    private final String emdScale;
    private final long teacherParameters;
    private final long studentParameters;
    private final double teacherNanosPerExample;
    private final double studentNanosPerExample;

    private DistillationEvaluation(AnomalyMetrics teacher, AnomalyMetrics student, double emdInliers,
                                   double emdOutliers, String emdScale, long teacherParameters,
                                   long studentParameters, double teacherNanosPerExample,
                                   double studentNanosPerExample) {
        this.teacher = teacher;
        this.student = student;
        this.emdInliers = emdInliers;
        this.emdOutliers = emdOutliers;
        this.emdScale = emdScale;
        this.teacherParameters = teacherParameters;
        this.studentParameters = studentParameters;
        this.teacherNanosPerExample = teacherNanosPerExample;
        this.studentNanosPerExample = studentNanosPerExample;
    }

    /**
     * Compares teacher and student scores on the same points.
     * @param teacherScores Teacher scores in time order.
     * @param teacherThreshold The teacher's threshold.
     * @param studentScores Student scores (in the teacher's scale) in time order.
     * @param studentThreshold The student's threshold.
     * @param labels 0/1 labels.
     * @param emdTransform Maps a score to the scale the student was trained on (identity for raw scores).
     * @param emdScaleName A name for that scale, e.g. "ln(score + 1e-6)".
     * @param teacherParameters The teacher's parameter count (-1 if unknown).
     * @param studentParameters The student's parameter count (-1 if unknown).
     * @param teacherNanosPerExample Teacher scoring time per example (NaN if not measured).
     * @param studentNanosPerExample Student scoring time per example (NaN if not measured).
     * @param randomSeed The seed of the random baselines.
     * @return The comparison.
     */
    public static DistillationEvaluation compare(double[] teacherScores, double teacherThreshold,
                                                 double[] studentScores, double studentThreshold, int[] labels,
                                                 DoubleUnaryOperator emdTransform, String emdScaleName,
                                                 long teacherParameters, long studentParameters,
                                                 double teacherNanosPerExample, double studentNanosPerExample,
                                                 long randomSeed) {
        return compare(teacherScores, teacherThreshold, studentScores, studentThreshold, labels, emdTransform,
                emdScaleName, teacherParameters, studentParameters, teacherNanosPerExample, studentNanosPerExample,
                randomSeed, VolumeUnderSurface.DEFAULT_WINDOW);
    }

    /**
     * Compares teacher and student scores on the same points, with VUS over the given sliding window.
     * @param teacherScores Teacher scores in time order.
     * @param teacherThreshold The teacher's threshold.
     * @param studentScores Student scores (in the teacher's scale) in time order.
     * @param studentThreshold The student's threshold.
     * @param labels 0/1 labels.
     * @param emdTransform Maps a score to the scale the student was trained on (identity for raw scores).
     * @param emdScaleName A name for that scale, e.g. "ln(score + 1e-6)".
     * @param teacherParameters The teacher's parameter count (-1 if unknown).
     * @param studentParameters The student's parameter count (-1 if unknown).
     * @param teacherNanosPerExample Teacher scoring time per example (NaN if not measured).
     * @param studentNanosPerExample Student scoring time per example (NaN if not measured).
     * @param randomSeed The seed of the random baselines.
     * @param vusWindow The sliding window of VUS-ROC/VUS-PR ({@link VolumeUnderSurface}).
     * @return The comparison.
     */
    public static DistillationEvaluation compare(double[] teacherScores, double teacherThreshold,
                                                 double[] studentScores, double studentThreshold, int[] labels,
                                                 DoubleUnaryOperator emdTransform, String emdScaleName,
                                                 long teacherParameters, long studentParameters,
                                                 double teacherNanosPerExample, double studentNanosPerExample,
                                                 long randomSeed, int vusWindow) {
        if (teacherScores.length != studentScores.length) {
            throw new IllegalArgumentException("Teacher and student scored different numbers of points: "
                    + teacherScores.length + " vs " + studentScores.length);
        }
        AnomalyMetrics t = AnomalyMetrics.compute(teacherScores, labels, teacherThreshold, randomSeed, vusWindow,
                "teacher scores");
        AnomalyMetrics s = AnomalyMetrics.compute(studentScores, labels, studentThreshold, randomSeed, vusWindow,
                "student scores");
        int anomalies = t.numAnomalous();
        double[] ti = new double[labels.length - anomalies], si = new double[labels.length - anomalies];
        double[] to = new double[anomalies], so = new double[anomalies];
        int a = 0, b = 0;
        for (int i = 0; i < labels.length; i++) {
            double tv = emdTransform.applyAsDouble(teacherScores[i]);
            double sv = emdTransform.applyAsDouble(studentScores[i]);
            if (labels[i] == 1) {
                to[a] = tv;
                so[a++] = sv;
            } else {
                ti[b] = tv;
                si[b++] = sv;
            }
        }
        return new DistillationEvaluation(t, s, EarthMoversDistance.between(ti, si),
                EarthMoversDistance.between(to, so), emdScaleName, teacherParameters, studentParameters,
                teacherNanosPerExample, studentNanosPerExample);
    }

    /**
     * Compares two Tribuo evaluations of the same data (from {@link TimeSeriesAnomalyEvaluator}).
     * @param teacher The teacher's evaluation.
     * @param student The student's evaluation.
     * @param emdTransform Maps a score to the student's training scale.
     * @param emdScaleName A name for that scale.
     * @param teacherParameters The teacher's parameter count (-1 if unknown).
     * @param studentParameters The student's parameter count (-1 if unknown).
     * @return The comparison.
     */
    public static DistillationEvaluation compare(TimeSeriesAnomalyEvaluation teacher,
                                                 TimeSeriesAnomalyEvaluation student,
                                                 DoubleUnaryOperator emdTransform, String emdScaleName,
                                                 long teacherParameters, long studentParameters) {
        if (!Arrays.equals(teacher.labels(), student.labels())) {
            throw new IllegalArgumentException("The teacher and student evaluations are not on the same labelled data");
        }
        return compare(teacher.scores(), teacher.metrics().threshold(), student.scores(),
                student.metrics().threshold(), teacher.labels(), emdTransform, emdScaleName, teacherParameters,
                studentParameters, teacher.scoringNanosPerExample(), student.scoringNanosPerExample(),
                TimeSeriesAnomalyEvaluator.DEFAULT_SEED, teacher.metrics().window());
    }

    /** @return The teacher's metrics. */
    public AnomalyMetrics teacher() {
        return teacher;
    }

    /** @return The student's metrics. */
    public AnomalyMetrics student() {
        return student;
    }

    /** @return EMD between teacher and student scores on inliers (label 0), in the EMD scale. */
    public double emdInliers() {
        return emdInliers;
    }

    /** @return EMD between teacher and student scores on outliers (label 1), in the EMD scale. */
    public double emdOutliers() {
        return emdOutliers;
    }

    /** @return Student parameters / teacher parameters (NaN if either is unknown). */
    public double parameterRatio() {
        return teacherParameters > 0 && studentParameters >= 0
                ? (double) studentParameters / teacherParameters : Double.NaN;
    }

    /**
     * Everything as an ordered map: {@code teacher}, {@code student}, {@code difference} (student − teacher for
     * every scalar metric), {@code emd}, {@code parameters}, {@code scoring_ns_per_example}.
     * @return The map.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> tm = teacher.toMap();
        Map<String, Object> sm = student.toMap();
        m.put("teacher", tm);
        m.put("student", sm);
        Map<String, Object> diff = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : sm.entrySet()) {
            if (e.getValue() instanceof Double && tm.get(e.getKey()) instanceof Double
                    && !e.getKey().endsWith("threshold")) {
                diff.put(e.getKey(), (Double) e.getValue() - (Double) tm.get(e.getKey()));
            }
        }
        m.put("difference_student_minus_teacher", diff);
        Map<String, Object> emd = new LinkedHashMap<>();
        emd.put("scale", emdScale);
        emd.put("inliers", emdInliers);
        emd.put("outliers", emdOutliers);
        m.put("emd_teacher_vs_student", emd);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("teacher", teacherParameters);
        params.put("student", studentParameters);
        params.put("student_over_teacher", parameterRatio());
        m.put("parameters", params);
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("teacher", teacherNanosPerExample);
        time.put("student", studentNanosPerExample);
        m.put("scoring_ns_per_example", time);
        return m;
    }

    /**
     * A Markdown report: both models and both random baselines in one table, then size, speed and EMD.
     * @param teacherName Name of the teacher row.
     * @param studentName Name of the student row.
     * @return Markdown text.
     */
    public String toMarkdown(String teacherName, String studentName) {
        StringBuilder sb = new StringBuilder();
        sb.append(AnomalyMetrics.MARKDOWN_HEADER);
        sb.append(teacher.markdownRow(teacherName));
        sb.append(student.markdownRow(studentName));
        sb.append(teacher.randomBaseline().markdownRow("random, flagging as many as the teacher"));
        sb.append(student.randomBaseline().markdownRow("random, flagging as many as the student"));
        sb.append(String.format("%nVUS-PR/VUS-ROC over buffer lengths 0..%d (TSB-AD's \"opt\" computation; VUS-PR is "
                        + "TSB-AD's ranking metric); F1 event, F1 range and affiliation F at each model's threshold, as "
                        + "TSB-AD computes them. Oracle best over TSB-AD's 100 thresholds, teacher / student: event F1 "
                        + "%.4f / %.4f, range F1 %.4f / %.4f, affiliation F %.4f / %.4f.%n", teacher.window(),
                teacher.bestEventBased().value(), student.bestEventBased().value(), teacher.bestRangeBased().value(),
                student.bestRangeBased().value(), teacher.bestAffiliation().value(),
                student.bestAffiliation().value()));
        sb.append(String.format("%nParameters: teacher %,d, student %,d (%.1f%%). Scoring: teacher %.0f ns, student "
                        + "%.0f ns per example (%.1fx).%n", teacherParameters, studentParameters,
                100 * parameterRatio(), teacherNanosPerExample, studentNanosPerExample,
                teacherNanosPerExample / studentNanosPerExample));
        sb.append(String.format("VUS-PR ratio student/teacher %.3f, ROC-AUC ratio %.3f; EMD teacher vs student in %s: "
                        + "inliers %.4f, outliers %.4f.%n", student.vusPr() / teacher.vusPr(),
                student.rocAuc() / teacher.rocAuc(), emdScale, emdInliers, emdOutliers));
        return sb.toString();
    }
}
