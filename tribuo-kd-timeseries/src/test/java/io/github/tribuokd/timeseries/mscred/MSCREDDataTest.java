package io.github.tribuokd.timeseries.mscred;

import io.github.tribuokd.timeseries.MultivariateSeries;
import io.github.tribuokd.timeseries.SignatureMatrices;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The split of an MSCRED training series into fitting and calibration inputs, for one series and for a
 * concatenation of independent series (segments), against a direct computation.
 */
public class MSCREDDataTest {

    private static final SignatureMatrices SIG = SignatureMatrices.forInputLength(20);

    private static MultivariateSeries series(int steps) {
        return MSCREDTest.series("s", steps, 5L, -1, -1);
    }

    /** Fitting and calibration inputs computed point by point from the definition. */
    private static int[][] direct(MSCREDData data, int[] starts, int numSteps, double fraction, int stride,
                                  int firstInputTime) {
        List<Integer> fit = new ArrayList<>();
        List<Integer> cal = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < data.sequence.numInputs(); i++) {
            int t = data.sequence.inputTime(i);
            if (t < firstInputTime) {
                continue;
            }
            int s = 0;
            while (s + 1 < starts.length && starts[s + 1] <= t) {
                s++;
            }
            int end = s + 1 < starts.length ? starts[s + 1] : numSteps;
            double calibrationFrom = starts[s] + Math.floor((end - starts[s]) * (1 - fraction));
            if (t >= calibrationFrom) {
                cal.add(i);
            } else if (kept++ % stride == 0) {
                fit.add(i);
            }
        }
        return new int[][]{fit.stream().mapToInt(Integer::intValue).toArray(),
                cal.stream().mapToInt(Integer::intValue).toArray()};
    }

    @Test
    public void oneSeriesCalibratesOnItsTail() {
        MultivariateSeries s = series(1000);
        MSCREDData data = MSCREDData.of(s, SIG, 0.1, 1, -1, new int[]{0}, 1, "test");
        int[][] expected = direct(data, new int[]{0}, 1000, 0.1, 1, -1);
        assertArrayEquals(expected[0], data.fitInputs);
        assertArrayEquals(expected[1], data.calibrationInputs);
        for (int i : data.calibrationInputs) {
            assertTrue(data.sequence.inputTime(i) >= 900);
        }
        for (int i : data.fitInputs) {
            assertTrue(data.sequence.inputTime(i) < 900);
        }
    }

    @Test
    public void everySegmentCalibratesOnItsOwnTail() {
        MultivariateSeries s = series(1000);
        int[] starts = {0, 400, 700};
        for (int stride : new int[]{1, 3}) {
            for (int first : new int[]{-1, 45}) {
                MSCREDData data = MSCREDData.of(s, SIG, 0.1, stride, first, starts, 2, "test");
                int[][] expected = direct(data, starts, 1000, 0.1, stride, first);
                assertArrayEquals(expected[0], data.fitInputs, "stride " + stride + ", first " + first);
                assertArrayEquals(expected[1], data.calibrationInputs, "stride " + stride + ", first " + first);
            }
        }
        // Each segment's tail: [360, 400), [670, 700), [970, 1000); every one is represented.
        MSCREDData data = MSCREDData.of(s, SIG, 0.1, 1, -1, starts, 1, "test");
        int[] perSegment = new int[3];
        for (int i : data.calibrationInputs) {
            int t = data.sequence.inputTime(i);
            boolean inTail = (t >= 360 && t < 400) || (t >= 670 && t < 700) || t >= 970;
            assertTrue(inTail, "calibration input at " + t);
            perSegment[t < 400 ? 0 : t < 700 ? 1 : 2]++;
        }
        for (int k = 0; k < 3; k++) {
            assertTrue(perSegment[k] > 0, "segment " + k + " has no calibration input");
        }
        // Nothing is lost: fitting and calibration inputs together are all inputs.
        assertEquals(data.sequence.numInputs(), data.fitInputs.length + data.calibrationInputs.length);
    }

    @Test
    public void badSegmentStartsAreRefused() {
        MultivariateSeries s = series(300);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MSCREDData.of(s, SIG, 0.1, 1, -1, new int[]{0, 200, 150}, 1, "MSCREDTrainer"));
        assertTrue(e.getMessage().contains("MSCREDTrainer") && e.getMessage().contains("150"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MSCREDData.of(s, SIG, 0.1, 1, -1, new int[]{0, 300}, 1, "MSCREDTrainer"));
        assertTrue(e.getMessage().contains("below the training series' length 300"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MSCREDData.of(s, SIG, 0.1, 1, -1, new int[]{10}, 1, "MSCREDTrainer"));
        assertTrue(e.getMessage().contains("begin with 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MSCREDTest.teacherTrainer().withSegments(new int[]{5}));
    }
}
