package io.github.tribuokd.anomaly;

import org.tribuo.ImmutableFeatureMap;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The window layout read off a feature domain whose names are {@code t<step>.v<variable>} with zero-padded
 * numbers (the names of {@code SlidingWindows}): L steps × m variables, with feature id {@code t·m + v} (Tribuo
 * sorts ids by name, and zero padding makes that the time-major order). Anything else is a clear error.
 */
public final class WindowLayout {

    private static final Pattern NAME = Pattern.compile("t(\\d+)\\.v(\\d+)");

    final int steps;
    final int variables;

    private WindowLayout(int steps, int variables) {
        this.steps = steps;
        this.variables = variables;
    }

    /**
     * The number of time steps L of a window.
     * @return L.
     */
    public int steps() {
        return steps;
    }

    /**
     * The number of variables m per step.
     * @return m.
     */
    public int variables() {
        return variables;
    }

    /**
     * The layout of a window feature domain, or null when the names are not {@code t<step>.v<variable>} of a full,
     * zero-padded window (the domain is then treated as plain tabular features).
     * @param map The feature domain.
     * @return The layout, or null.
     */
    public static WindowLayout orNull(ImmutableFeatureMap map) {
        try {
            return of(map, "WindowLayout");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The layout of a window feature domain.
     * @param map The feature domain.
     * @param who The caller, named in error messages.
     * @return The layout.
     * @throws IllegalArgumentException if the names do not form a full zero-padded window.
     */
    public static WindowLayout of(ImmutableFeatureMap map, String who) {
        int n = map.size();
        int maxT = -1, maxV = -1;
        for (int id = 0; id < n; id++) {
            String name = map.get(id).getName();
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalArgumentException(who + " needs window features named t<step>.v<variable> (as made by "
                        + "SlidingWindows); feature " + id + " is '" + name + "'");
            }
            maxT = Math.max(maxT, Integer.parseInt(m.group(1)));
            maxV = Math.max(maxV, Integer.parseInt(m.group(2)));
        }
        int steps = maxT + 1, variables = maxV + 1;
        if ((long) steps * variables != n) {
            throw new IllegalArgumentException(who + ": the features do not form a full window: " + n + " features but "
                    + steps + " steps x " + variables + " variables");
        }
        for (int id = 0; id < n; id++) {
            Matcher m = NAME.matcher(map.get(id).getName());
            m.matches();
            int t = Integer.parseInt(m.group(1)), v = Integer.parseInt(m.group(2));
            if (t * variables + v != id) {
                throw new IllegalArgumentException(who + ": feature '" + map.get(id).getName() + "' has id " + id
                        + " but belongs at " + (t * variables + v) + "; zero-pad the step and variable numbers");
            }
        }
        return new WindowLayout(steps, variables);
    }
}
