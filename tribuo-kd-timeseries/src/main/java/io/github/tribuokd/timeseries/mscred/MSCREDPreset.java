package io.github.tribuokd.timeseries.mscred;

import java.util.Arrays;
import java.util.Locale;

/**
 * The input lengths seed {@code 002_*} (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) gives per dataset for its tables: the MSCRED teacher's input length
 * and the Long-Term Accumulator students' lengths. An input of {@code L} points is mapped onto MSCRED's signature
 * matrices by {@code SignatureMatrices.forInputLength(L)}.
 * <ul>
 *     <li>{@link #MSL}: teacher 800, students 800, 400, 200, 100;</li>
 *     <li>{@link #SMAP}: teacher 100, students 100, 50, 25.</li>
 * </ul>
 * A preset is chosen by name ({@link #parse}), never from a folder's name.
 */
public enum MSCREDPreset {
    /** NASA's Mars Science Laboratory telemetry: teacher 800, students 800, 400, 200, 100. */
    MSL(800, new int[]{800, 400, 200, 100}),
    /** NASA's Soil Moisture Active Passive telemetry: teacher 100, students 100, 50, 25. */
    SMAP(100, new int[]{100, 50, 25});

    private final int teacherLength;
    private final int[] studentLengths;

    MSCREDPreset(int teacherLength, int[] studentLengths) {
        this.teacherLength = teacherLength;
        this.studentLengths = studentLengths;
    }

    /**
     * The teacher's input length {@code L}.
     * @return {@code L}.
     */
    public int teacherLength() {
        return teacherLength;
    }

    /**
     * The students' input lengths, longest first.
     * @return A new array.
     */
    public int[] studentLengths() {
        return studentLengths.clone();
    }

    /**
     * The preset of a name, ignoring case ({@code msl}, {@code smap}).
     * @param name The name.
     * @return The preset.
     * @throws IllegalArgumentException If the name is none of the presets', naming them.
     */
    public static MSCREDPreset parse(String name) {
        for (MSCREDPreset p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown MSCRED preset '" + name + "'; expected one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
