package io.github.tribuokd.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SequenceOps} on hand-worked cases. Values are named {@code b t f} as digits: 123 is sequence 1, step 2,
 * feature 3.
 */
public class SequenceOpsTest {

    // batch 2, steps 3, features 2, batch-major [b, t, f]
    private static final float[] BATCH_MAJOR = {
        0, 1, 10, 11, 20, 21,             // sequence 0: steps 0, 1, 2
        100, 101, 110, 111, 120, 121      // sequence 1
    };
    // the same, time-major [t, b, f]
    private static final float[] TIME_MAJOR = {
        0, 1, 100, 101,                   // step 0: sequences 0, 1
        10, 11, 110, 111,                 // step 1
        20, 21, 120, 121                  // step 2
    };

    @Test
    public void batchMajorToTimeMajorAndBack() {
        float[] tm = new float[12];
        SequenceOps.batchMajorToTimeMajor(BATCH_MAJOR, 2, 3, 2, tm);
        assertArrayEquals(TIME_MAJOR, tm);
        float[] bm = new float[12];
        SequenceOps.timeMajorToBatchMajor(tm, 3, 2, 2, bm);
        assertArrayEquals(BATCH_MAJOR, bm);
        // one sequence or one step: both layouts coincide
        float[] one = {1, 2, 3, 4, 5, 6};
        float[] out = new float[6];
        SequenceOps.batchMajorToTimeMajor(one, 1, 3, 2, out);
        assertArrayEquals(one, out);
        SequenceOps.timeMajorToBatchMajor(one, 1, 3, 2, out);
        assertArrayEquals(one, out);
        // a longer destination keeps its tail
        float[] longer = new float[14];
        longer[12] = 7;
        longer[13] = 8;
        SequenceOps.batchMajorToTimeMajor(BATCH_MAJOR, 2, 3, 2, longer);
        assertArrayEquals(new float[]{0, 1, 100, 101, 10, 11, 110, 111, 20, 21, 120, 121, 7, 8}, longer);
    }

    @Test
    public void reverseTime() {
        float[] rev = new float[12];
        SequenceOps.reverseTime(TIME_MAJOR, 3, 2, 2, rev);
        assertArrayEquals(new float[]{20, 21, 120, 121, 10, 11, 110, 111, 0, 1, 100, 101}, rev);
        // in place, even and odd step counts
        float[] inPlace = TIME_MAJOR.clone();
        SequenceOps.reverseTime(inPlace, 3, 2, 2, inPlace);
        assertArrayEquals(rev, inPlace);
        float[] four = {1, 2, 3, 4, 5, 6, 7, 8}; // steps 4, batch 1, features 2
        SequenceOps.reverseTime(four, 4, 1, 2, four);
        assertArrayEquals(new float[]{7, 8, 5, 6, 3, 4, 1, 2}, four);
        // reversing twice is the identity
        SequenceOps.reverseTime(rev, 3, 2, 2, rev);
        assertArrayEquals(TIME_MAJOR, rev);
    }

    @Test
    public void shiftRightForTeacherForcing() {
        float[] dec = new float[12];
        SequenceOps.shiftRight(TIME_MAJOR, 3, 2, 2, dec);
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 1, 100, 101, 10, 11, 110, 111}, dec);
        float[] inPlace = TIME_MAJOR.clone();
        SequenceOps.shiftRight(inPlace, 3, 2, 2, inPlace);
        assertArrayEquals(dec, inPlace);
        float[] single = {5, 6};
        SequenceOps.shiftRight(single, 1, 1, 2, single);
        assertArrayEquals(new float[]{0, 0}, single);
    }

    /** The decoder of Malhotra et al.: reversed targets, then shifted for teacher forcing. */
    @Test
    public void reversedTeacherForcedDecoderInputs() {
        float[] target = new float[12];
        SequenceOps.reverseTime(TIME_MAJOR, 3, 2, 2, target);
        float[] inputs = new float[12];
        SequenceOps.shiftRight(target, 3, 2, 2, inputs);
        assertArrayEquals(new float[]{0, 0, 0, 0, 20, 21, 120, 121, 10, 11, 110, 111}, inputs);
    }

    @Test
    public void badArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> SequenceOps.batchMajorToTimeMajor(new float[11], 2, 3, 2, new float[12]));
        assertThrows(IllegalArgumentException.class,
                () -> SequenceOps.timeMajorToBatchMajor(new float[12], 3, 2, 2, new float[11]));
        float[] same = new float[12];
        assertThrows(IllegalArgumentException.class, () -> SequenceOps.batchMajorToTimeMajor(same, 2, 3, 2, same));
        assertThrows(IllegalArgumentException.class, () -> SequenceOps.reverseTime(same, 0, 2, 2, same));
        assertThrows(IllegalArgumentException.class, () -> SequenceOps.shiftRight(same, 3, 2, 0, same));
    }
}
