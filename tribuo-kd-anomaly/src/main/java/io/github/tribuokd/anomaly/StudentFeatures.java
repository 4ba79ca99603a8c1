package io.github.tribuokd.anomaly;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.VariableInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * The features a student sees when its teacher sees more (privileged information: Lopez-Paz et al., "Unifying
 * distillation and privileged information", ICLR 2016): the teacher is trained and queried on every feature of the
 * training data, the student on the named subset, the sensors available at deployment. Shared by the distillation
 * trainers that offer {@code studentFeatures} ({@link ScoreDistillationTrainer},
 * {@link DenseReconstructionDistillationTrainer}). Stateless.
 */
final class StudentFeatures {

    private StudentFeatures() {
    }

    /**
     * Refuses a list that names a feature twice.
     * @param names The student's feature names.
     * @throws IllegalArgumentException If a name repeats.
     */
    static void checkDistinct(List<String> names) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("studentFeatures names a feature twice: " + names);
        }
    }

    /**
     * The feature ids of the named features in the training data's domain, increasing.
     * @param names The student's feature names.
     * @param all The training data's (the teacher's) feature domain.
     * @param who The trainer's name, for the message.
     * @return The ids.
     * @throws IllegalArgumentException If a name is not a feature of the training data.
     */
    static int[] columns(List<String> names, ImmutableFeatureMap all, String who) {
        int[] columns = new int[names.size()];
        for (int i = 0; i < columns.length; i++) {
            String name = names.get(i);
            if (all.get(name) == null) {
                throw new IllegalArgumentException(who + ": student feature '" + name + "' is not a feature of the "
                        + "training data (" + all.size() + " features, e.g. '" + all.get(0).getName() + "')");
            }
            columns[i] = all.getID(name);
        }
        Arrays.sort(columns);
        return columns;
    }

    /**
     * The feature domain of some columns. Tribuo numbers features by name, so the ids of the subset follow the order
     * of the (increasing) columns; checked.
     * @param all The full domain.
     * @param columns Ids of {@code all}, increasing.
     * @return The subset's domain, ids 0..k-1.
     */
    static ImmutableFeatureMap subsetMap(ImmutableFeatureMap all, int[] columns) {
        List<VariableInfo> infos = new ArrayList<>(columns.length);
        for (int c : columns) {
            infos.add(all.get(c));
        }
        ImmutableFeatureMap subset = new ImmutableFeatureMap(infos);
        for (int i = 0; i < columns.length; i++) {
            if (subset.getID(all.get(columns[i]).getName()) != i) {
                throw new IllegalStateException("Feature ids of the student's subset do not follow the name order");
            }
        }
        return subset;
    }
}
