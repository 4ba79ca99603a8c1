package io.github.tribuokd.anomaly;

import org.tribuo.Model;
import org.tribuo.anomaly.Event;

/**
 * The two models of one distillation run: the teacher, kept for comparison and reports, and the deployable student
 * detector (which holds no part of the teacher).
 * @param <S> The type of the student detector.
 */
public final class TeacherStudentPair<S extends AbstractScoredAnomalyModel> {

    private final Model<Event> teacher;
    private final S student;

    /**
     * Creates a pair.
     * @param teacher The trained teacher.
     * @param student The student detector.
     */
    public TeacherStudentPair(Model<Event> teacher, S student) {
        this.teacher = teacher;
        this.student = student;
    }

    /**
     * The teacher model.
     * @return The teacher.
     */
    public Model<Event> teacher() {
        return teacher;
    }

    /**
     * The student detector.
     * @return The student.
     */
    public S student() {
        return student;
    }
}
