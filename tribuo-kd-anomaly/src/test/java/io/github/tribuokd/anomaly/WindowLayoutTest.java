package io.github.tribuokd.anomaly;

import org.junit.jupiter.api.Test;
import org.tribuo.MutableFeatureMap;
import org.tribuo.ImmutableFeatureMap;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class WindowLayoutTest {

    @Test
    public void namesFollowTheDocumentedContract() {
        String[] names = WindowLayout.of(10, 38).featureNames();
        assertEquals(380, names.length);
        assertEquals("t0.v00", names[0]);
        assertEquals("t0.v37", names[37]);
        assertEquals("t1.v00", names[38]);
        assertEquals("t9.v37", names[379]);
        assertEquals("t00.v0", WindowLayout.of(100, 5).featureNames()[0]);
        assertEquals("t99.v4", WindowLayout.of(100, 5).featureNames()[499]);
        assertEquals("t0.v0", WindowLayout.of(1, 1).featureNames()[0]);
        WindowLayout layout = WindowLayout.of(12, 3);
        assertEquals("t07.v2", layout.featureName(7, 2));
        assertEquals(23, layout.index(7, 2));
        assertEquals("v2", layout.variableToken(2));
        assertEquals("v03", WindowLayout.of(5, 38).variableToken(3));
        // names in index order are in lexicographic order (Tribuo's feature id order)
        String[] sorted = names.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(names, sorted);
    }

    @Test
    public void roundTripNamesLayoutNames() {
        for (int[] lm : new int[][]{{1, 1}, {1, 7}, {9, 1}, {10, 38}, {11, 10}, {100, 5}, {101, 101}}) {
            WindowLayout layout = WindowLayout.of(lm[0], lm[1]);
            String[] names = layout.featureNames();
            WindowLayout read = WindowLayout.parse(names, "test");
            assertEquals(layout, read);
            assertArrayEquals(names, read.featureNames());
            // and through a Tribuo feature map, the way a model's layout is read back
            MutableFeatureMap fm = new MutableFeatureMap();
            for (String name : names) {
                fm.add(name, 1.0);
            }
            assertEquals(layout, WindowLayout.of(new ImmutableFeatureMap(fm), "test"));
        }
    }

    @Test
    public void otherZeroPaddingStillLoads() {
        // files made with wider padding: the same layout, and the canonical names it writes are the contract's
        String[] wide = new String[6];
        for (int t = 0; t < 3; t++) {
            for (int v = 0; v < 2; v++) {
                wide[t * 2 + v] = String.format("t%03d.v%02d", t, v);
            }
        }
        WindowLayout layout = WindowLayout.parse(wide, "test");
        assertEquals(3, layout.steps());
        assertEquals(2, layout.variables());
        assertEquals("t2.v1", layout.featureNames()[5]);
    }

    @Test
    public void variableNames() {
        WindowLayout unnamed = WindowLayout.of(4, 3);
        assertFalse(unnamed.hasVariableNames());
        assertEquals(List.of("v0", "v1", "v2"), unnamed.variableNames());
        WindowLayout named = unnamed.withVariableNames(List.of("cpu", "mem", "disk.io"));
        assertTrue(named.hasVariableNames());
        assertEquals(List.of("cpu", "mem", "disk.io"), named.variableNames());
        // column names never enter the feature names
        assertArrayEquals(unnamed.featureNames(), named.featureNames());
        assertEquals(named, WindowLayout.of(4, List.of("cpu", "mem", "disk.io")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unnamed.withVariableNames(List.of("a", "b")));
        assertTrue(e.getMessage().contains("3 variable names, found 2"), e.getMessage());
    }

    @Test
    public void malformedNamesAreRefusedWithTheFeatureNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WindowLayout.parse(new String[]{"t0.v0", "t0.cpu"}, "MyTrainer"));
        assertTrue(e.getMessage().startsWith("MyTrainer needs window features named t<step>.v<variable>"),
                e.getMessage());
        assertTrue(e.getMessage().contains("feature 1 is 't0.cpu'"), e.getMessage());
        // not a whole window: 3 features of steps 0..1 x variables 0..1
        e = assertThrows(IllegalArgumentException.class,
                () -> WindowLayout.parse(new String[]{"t0.v0", "t0.v1", "t1.v0"}, "MyTrainer"));
        assertTrue(e.getMessage().contains("do not form a full window: 3 features but 2 steps x 2 variables"),
                e.getMessage());
        // a name out of its flattened place (unpadded steps sorted as text: t10 before t2)
        e = assertThrows(IllegalArgumentException.class,
                () -> WindowLayout.parse(new String[]{"t0.v0", "t1.v0", "t10.v0", "t2.v0", "t3.v0", "t4.v0", "t5.v0",
                    "t6.v0", "t7.v0", "t8.v0", "t9.v0"}, "MyTrainer"));
        assertTrue(e.getMessage().contains("'t10.v0' has id 2 but belongs at 10; zero-pad"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> WindowLayout.parse(new String[]{"t99999999999.v0"}, "MyTrainer"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WindowLayout.parse(new String[0], "MyTrainer"));
        assertTrue(e.getMessage().contains("no features"), e.getMessage());
        MutableFeatureMap tabular = new MutableFeatureMap();
        tabular.add("x", 1.0);
        assertNull(WindowLayout.orNull(new ImmutableFeatureMap(tabular)));
        assertThrows(IllegalArgumentException.class, () -> WindowLayout.of(0, 3));
        assertThrows(IllegalArgumentException.class, () -> WindowLayout.of(3, 0));
        assertThrows(IllegalArgumentException.class, () -> WindowLayout.of(3, 2).featureName(3, 0));
    }

    @Test
    public void featureNamesOfSomeVariablesAreTheirColumnsOfTheFullLayout() {
        WindowLayout layout = WindowLayout.of(3, 12);
        String[] all = layout.featureNames();
        List<String> some = layout.featureNamesOf(11, 0, 4);
        int[] expected = {0, 4, 11, 12, 16, 23, 24, 28, 35};
        assertEquals(expected.length, some.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(all[expected[i]], some.get(i));
        }
        // Sorted by name, as Tribuo numbers features, they keep this order.
        List<String> sorted = new java.util.ArrayList<>(some);
        java.util.Collections.sort(sorted);
        assertEquals(some, sorted);
        assertThrows(IllegalArgumentException.class, () -> layout.featureNamesOf(12));
        assertThrows(IllegalArgumentException.class, () -> layout.featureNamesOf(3, 3));
        assertThrows(IllegalArgumentException.class, layout::featureNamesOf);
    }
}
