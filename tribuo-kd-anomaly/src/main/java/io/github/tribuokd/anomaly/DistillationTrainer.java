package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.Dataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;

import java.util.Map;

/**
 * A trainer that trains a teacher and distils it into a deployable student in one call, for reports and commands
 * that compare the two (the {@code demo} command accepts any of them).
 * <p>
 * The examples are used in dataset order: the first {@code 1 − calibrationFraction()} fit the teacher and the
 * student, the tail sets the thresholds and is never trained on.
 * <p>
 * Degenerate data (docs/RELIABILITY.md, "Runs and degenerate training"): fewer than 20 fitting examples and a
 * constant series are refused with an {@link IllegalArgumentException}; constant features, and a calibration tail
 * whose scores lie outside the range of the fitting examples' scores (the threshold is then capped at the largest of
 * them), are warned about in each model's provenance ({@link TrainingWarnings#of}).
 * @param <S> The type of the student detector.
 */
public interface DistillationTrainer<S extends AbstractScoredAnomalyModel> extends Trainer<Event> {

    /**
     * Trains the teacher on the fitting part of the data, then distils it into the student.
     * @param examples Normal training data in time order.
     * @param runProvenance Extra provenance to record.
     * @param invocationCount The invocation count to set first, or {@link #INCREMENT_INVOCATION_COUNT}.
     * @return The teacher and the student.
     */
    TeacherStudentPair<S> trainTeacherAndStudent(Dataset<Event> examples, Map<String, Provenance> runProvenance,
                                                 int invocationCount);

    /**
     * The time-ordered tail fraction of the training examples kept for threshold calibration.
     * @return The fraction in [0, 1).
     */
    double calibrationFraction();

    /**
     * The floor on the per-feature scale of the student's input standardisation (0 when there is none).
     * @return The floor.
     */
    double minScale();
}
