package io.github.tribuokd.anomaly;

import org.tribuo.ImmutableFeatureMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout of a flattened window of a multivariate series: L steps × m variables, time-major, with the feature
 * names every window model of this library is trained on, and (when known) the names of the m variables, i.e. the
 * columns of the series.
 * <p>
 * <b>Feature names: the stable on-disk contract.</b> Model files store their feature names, and a window model's
 * layout is read back from them ({@link #of(ImmutableFeatureMap, String)}), so this format must not change:
 * <ul>
 *     <li>the value of variable {@code v} at step {@code t} of the window ({@code 0 ≤ t < L}, {@code 0 ≤ v < m},
 *     step 0 the oldest) is input {@code t·m + v} and is named
 *     {@code "t" + t + ".v" + v}, with {@code t} zero-padded to the number of digits of {@code L − 1} and {@code v}
 *     to the number of digits of {@code m − 1} (each at least one digit): for L = 10 and m = 38,
 *     {@code t0.v00, t0.v01, …, t0.v37, t1.v00, …, t9.v37}; for L = 100 and m = 5, {@code t00.v0 … t99.v4};</li>
 *     <li>because the padding gives every name of one window the same length, the lexicographic order of the names
 *     (the order in which Tribuo assigns feature ids) is the flattening order: feature id {@code i} is input
 *     {@code i};</li>
 *     <li>the names carry variable <i>indices</i>, never column names (which may hold any character); the column
 *     names travel in the model's provenance and in the ONNX metadata ({@link #variableNames()}).</li>
 * </ul>
 * Reading is slightly more lenient than writing, so that files and datasets made with other zero-padding still load:
 * every name must be {@code t<digits>.v<digits>}, the steps and variables must fill a whole L × m window, and feature
 * id {@code i} must be step {@code ⌊i/m⌋}, variable {@code i mod m}. Anything else is refused with a message naming
 * the first offending feature. Immutable.
 */
public final class WindowLayout {

    /**
     * The flattening in words (the ONNX metadata of exported window models carries it).
     */
    public static final String FLATTENING = "time-major: input column t * numVariables + v holds variable v at step t "
            + "of the window; the window ending at row r covers rows r - L + 1 .. r";

    /** What a window feature name looks like when read: {@code t<step>.v<variable>}. */
    private static final Pattern NAME = Pattern.compile("t(\\d+)\\.v(\\d+)");

    final int steps;
    final int variables;
    /** The variables' names, or null when the layout was read from feature names alone. */
    private final List<String> variableNames;

    private WindowLayout(int steps, int variables, List<String> variableNames) {
        this.steps = steps;
        this.variables = variables;
        this.variableNames = variableNames;
    }

    /**
     * The layout of windows of {@code steps} steps over {@code variables} unnamed variables.
     * @param steps The window length L, at least 1.
     * @param variables The number of variables m, at least 1.
     * @return The layout.
     * @throws IllegalArgumentException If either is less than 1 or L·m features do not fit in one array.
     */
    public static WindowLayout of(int steps, int variables) {
        if (steps < 1) {
            throw new IllegalArgumentException("windowLength must be at least 1, found " + steps);
        }
        if (variables < 1) {
            throw new IllegalArgumentException("numVariables must be at least 1, found " + variables);
        }
        if ((long) steps * variables > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(steps + " x " + variables + " features do not fit in one array");
        }
        return new WindowLayout(steps, variables, null);
    }

    /**
     * The layout of windows of {@code steps} steps over named variables.
     * @param steps The window length L, at least 1.
     * @param variableNames The variables' (columns') names in window order, at least one.
     * @return The layout.
     * @throws IllegalArgumentException If {@code steps} is less than 1 or there are no variables.
     */
    public static WindowLayout of(int steps, List<String> variableNames) {
        return of(steps, variableNames.size()).withVariableNames(variableNames);
    }

    /**
     * This layout with its variables named.
     * @param names The variables' names in window order, one per variable.
     * @return A new layout.
     * @throws IllegalArgumentException If the number of names is not {@link #variables()}.
     */
    public WindowLayout withVariableNames(List<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.size() != variables) {
            throw new IllegalArgumentException("A window of " + variables + " variables needs " + variables
                    + " variable names, found " + names.size() + ": " + names);
        }
        List<String> copy = new ArrayList<>(names);
        for (String name : copy) {
            Objects.requireNonNull(name, "variable name");
        }
        return new WindowLayout(steps, variables, Collections.unmodifiableList(copy));
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
     * The number of features of a flattened window, L·m.
     * @return L·m.
     */
    public int numFeatures() {
        return steps * variables;
    }

    /**
     * Whether the variables have names (a layout read from feature names alone has none).
     * @return True when {@link #withVariableNames} or {@link #of(int, List)} named them.
     */
    public boolean hasVariableNames() {
        return variableNames != null;
    }

    /**
     * The variables' names in window order: the names given, or {@code v0, v1, …} (not zero-padded) when there
     * were none.
     * @return An unmodifiable list of {@link #variables()} names.
     */
    public List<String> variableNames() {
        if (variableNames != null) {
            return variableNames;
        }
        List<String> names = new ArrayList<>(variables);
        for (int v = 0; v < variables; v++) {
            names.add("v" + v);
        }
        return Collections.unmodifiableList(names);
    }

    /**
     * The flattened index of variable {@code v} at step {@code t}: {@code t·m + v}.
     * @param step The step t, {@code 0 ≤ t < L}.
     * @param variable The variable v, {@code 0 ≤ v < m}.
     * @return The index, which is also the feature id.
     * @throws IllegalArgumentException If either is out of range.
     */
    public int index(int step, int variable) {
        if (step < 0 || step >= steps || variable < 0 || variable >= variables) {
            throw new IllegalArgumentException("Step " + step + ", variable " + variable + " is outside a window of "
                    + steps + " steps x " + variables + " variables");
        }
        return step * variables + variable;
    }

    /**
     * The name of the feature of variable {@code v} at step {@code t} (the format of the class documentation).
     * @param step The step t, {@code 0 ≤ t < L}.
     * @param variable The variable v, {@code 0 ≤ v < m}.
     * @return The name, e.g. {@code t07.v03}.
     * @throws IllegalArgumentException If either is out of range.
     */
    public String featureName(int step, int variable) {
        index(step, variable);
        return stepPart(step) + variablePart(variable);
    }

    /**
     * The part of a feature name after the step, {@code ".v" + v} zero-padded, without the dot: the variable's token
     * in the feature names (e.g. {@code v03}), which is how messages name a variable whose column name is unknown.
     * @param variable The variable v, {@code 0 ≤ v < m}.
     * @return The token.
     * @throws IllegalArgumentException If the variable is out of range.
     */
    public String variableToken(int variable) {
        index(0, variable);
        return variablePart(variable).substring(1);
    }

    /**
     * The names of every step of some variables, in flattening order: the features a student that sees only these
     * sensors reads (ScoreDistillationTrainer's {@code studentFeatures}).
     * @param variables Variable indices, each in {@code [0, m)}, without repeats (any order).
     * @return L·k names, step-major, variables increasing within a step.
     * @throws IllegalArgumentException If a variable is out of range or repeated, or none is given.
     */
    public List<String> featureNamesOf(int... variables) {
        int[] sorted = variables.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            throw new IllegalArgumentException("featureNamesOf needs at least one variable");
        }
        for (int i = 0; i < sorted.length; i++) {
            index(0, sorted[i]);
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("Variable " + sorted[i] + " is given twice");
            }
        }
        List<String> names = new ArrayList<>(steps * sorted.length);
        for (int t = 0; t < steps; t++) {
            for (int v : sorted) {
                names.add(featureName(t, v));
            }
        }
        return names;
    }

    /**
     * Every feature name in flattening order (= feature id order): name {@code i} is
     * {@code featureName(i / m, i % m)}.
     * @return A fresh array of L·m names.
     */
    public String[] featureNames() {
        String[] vParts = new String[variables];
        for (int v = 0; v < variables; v++) {
            vParts[v] = variablePart(v);
        }
        String[] names = new String[steps * variables];
        int i = 0;
        for (int t = 0; t < steps; t++) {
            String tPart = stepPart(t);
            for (int v = 0; v < variables; v++) {
                names[i++] = tPart + vParts[v];
            }
        }
        return names;
    }

    private String stepPart(int step) {
        return "t" + pad(step, digits(steps - 1));
    }

    private String variablePart(int variable) {
        return ".v" + pad(variable, digits(variables - 1));
    }

    /**
     * The layout of a window model from its feature domain: the one way this library reads a layout back from a
     * model (see the class documentation for the names it accepts). The variables are unnamed; a caller that knows
     * the columns adds them with {@link #withVariableNames}.
     * @param map The feature domain (e.g. {@code model.getFeatureIDMap()}).
     * @param who The caller, named in error messages.
     * @return The layout.
     * @throws IllegalArgumentException If the names are not the features of one whole window in id order.
     */
    public static WindowLayout of(ImmutableFeatureMap map, String who) {
        String[] names = new String[map.size()];
        for (int id = 0; id < names.length; id++) {
            names[id] = map.get(id).getName();
        }
        return parse(names, who);
    }

    /**
     * The layout of a window feature domain, or null when the names are not {@code t<step>.v<variable>} of a whole
     * window (the domain is then treated as plain tabular features).
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
     * The layout of feature names given in id (flattening) order: the rule of {@link #of(ImmutableFeatureMap,
     * String)} applied to a list of names.
     * @param namesInIdOrder The names; name {@code i} is the feature of id {@code i}.
     * @param who The caller, named in error messages.
     * @return The layout (variables unnamed).
     * @throws IllegalArgumentException If there are no names, a name is not {@code t<step>.v<variable>}, the names
     *                                  do not fill a whole window, or a name is not at its flattened index.
     */
    public static WindowLayout parse(String[] namesInIdOrder, String who) {
        int n = namesInIdOrder.length;
        if (n == 0) {
            throw new IllegalArgumentException(who + " needs window features named t<step>.v<variable> (as made by "
                    + "SlidingWindows); there are no features");
        }
        int[] stepOf = new int[n];
        int[] variableOf = new int[n];
        int maxT = -1, maxV = -1;
        for (int id = 0; id < n; id++) {
            String name = namesInIdOrder[id];
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                throw new IllegalArgumentException(who + " needs window features named t<step>.v<variable> (as made by "
                        + "SlidingWindows); feature " + id + " is '" + name + "'");
            }
            stepOf[id] = number(m.group(1), name, who);
            variableOf[id] = number(m.group(2), name, who);
            maxT = Math.max(maxT, stepOf[id]);
            maxV = Math.max(maxV, variableOf[id]);
        }
        long steps = maxT + 1L, variables = maxV + 1L;
        if (steps * variables != n) {
            throw new IllegalArgumentException(who + ": the features do not form a full window: " + n + " features but "
                    + steps + " steps x " + variables + " variables");
        }
        for (int id = 0; id < n; id++) {
            long at = stepOf[id] * variables + variableOf[id];
            if (at != id) {
                throw new IllegalArgumentException(who + ": feature '" + namesInIdOrder[id] + "' has id " + id
                        + " but belongs at " + at + "; zero-pad the step and variable numbers");
            }
        }
        return new WindowLayout((int) steps, (int) variables, null);
    }

    private static int number(String digits, String name, String who) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(who + ": feature '" + name + "' has a step or variable number too large "
                    + "for a window", e);
        }
    }

    private static int digits(int x) {
        return Integer.toString(x).length();
    }

    private static String pad(int x, int width) {
        String s = Integer.toString(x);
        if (s.length() >= width) {
            return s;
        }
        StringBuilder sb = new StringBuilder(width);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s).toString();
    }

    /**
     * Equal when steps, variables and variable names (or their absence) are equal.
     * @param o The other object.
     * @return True when equal.
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof WindowLayout)) {
            return false;
        }
        WindowLayout other = (WindowLayout) o;
        return steps == other.steps && variables == other.variables
                && Objects.equals(variableNames, other.variableNames);
    }

    /**
     * A hash of steps, variables and names.
     * @return The hash code.
     */
    @Override
    public int hashCode() {
        return Objects.hash(steps, variables, variableNames);
    }

    /**
     * A readable summary.
     * @return E.g. {@code WindowLayout(steps=10, variables=38)}.
     */
    @Override
    public String toString() {
        return "WindowLayout(steps=" + steps + ", variables=" + variables
                + (variableNames == null ? "" : ", names=" + variableNames) + ")";
    }
}
