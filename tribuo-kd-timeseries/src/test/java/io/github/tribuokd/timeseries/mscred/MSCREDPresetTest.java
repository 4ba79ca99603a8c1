package io.github.tribuokd.timeseries.mscred;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed-002 (Kim, "Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"; docs/PAPERS.md) input lengths by dataset name, and MSCRED's kernel and stride constants written once. */
public class MSCREDPresetTest {

    @Test
    public void presetsHoldTheSeedsLengths() {
        assertEquals(800, MSCREDPreset.MSL.teacherLength());
        assertArrayEquals(new int[]{800, 400, 200, 100}, MSCREDPreset.MSL.studentLengths());
        assertEquals(100, MSCREDPreset.SMAP.teacherLength());
        assertArrayEquals(new int[]{100, 50, 25}, MSCREDPreset.SMAP.studentLengths());
        // a copy: callers cannot change the preset
        MSCREDPreset.MSL.studentLengths()[0] = 1;
        assertEquals(800, MSCREDPreset.MSL.studentLengths()[0]);
    }

    @Test
    public void presetsAreParsedByNameIgnoringCase() {
        assertEquals(MSCREDPreset.MSL, MSCREDPreset.parse("msl"));
        assertEquals(MSCREDPreset.SMAP, MSCREDPreset.parse(" Smap "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MSCREDPreset.parse("SMD"));
        assertTrue(e.getMessage().contains("'SMD'") && e.getMessage().contains("[msl, smap]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MSCREDPreset.parse(null));
    }

    @Test
    public void kernelsAndStridesAreMscreds() {
        assertArrayEquals(new int[]{3, 3, 2, 2}, MSCREDArchitecture.kernels(4));
        assertArrayEquals(new int[]{1, 2, 2, 2}, MSCREDArchitecture.strides(4));
        assertArrayEquals(new int[]{3, 3}, MSCREDArchitecture.kernels(2));
        assertArrayEquals(new int[]{1, 2}, MSCREDArchitecture.strides(2));
        assertThrows(IllegalArgumentException.class, () -> MSCREDArchitecture.kernels(0));
        assertThrows(IllegalArgumentException.class, () -> MSCREDArchitecture.strides(5));
        // the teacher and the student are built from the same constants
        assertEquals(MSCREDNetwork.teacher(3, 12, 5).numParameters(),
                new MSCREDNetwork(3, 12, 5, MSCREDArchitecture.channels(4), MSCREDArchitecture.kernels(4),
                        MSCREDArchitecture.strides(4), TemporalAttention.DEFAULT_RESCALE).numParameters());
    }
}
