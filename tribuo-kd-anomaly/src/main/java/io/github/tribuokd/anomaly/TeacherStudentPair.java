package io.github.tribuokd.anomaly;

import org.tribuo.Model;
import org.tribuo.anomaly.Event;

/**
 * The two models of one distillation run: the teacher, kept for comparison and reports, and the deployable
 * distilled detector (which holds no part of the teacher).
 */
public final class TeacherStudentPair {

    private final Model<Event> teacher;
    private final DistilledAnomalyModel distilled;

    /**
     * Creates a pair.
     * @param teacher The trained teacher.
     * @param distilled The distilled detector.
     */
    public TeacherStudentPair(Model<Event> teacher, DistilledAnomalyModel distilled) {
        this.teacher = teacher;
        this.distilled = distilled;
    }

    /**
     * The teacher model.
     * @return The teacher.
     */
    public Model<Event> teacher() {
        return teacher;
    }

    /**
     * The distilled detector.
     * @return The student detector.
     */
    public DistilledAnomalyModel distilled() {
        return distilled;
    }
}
