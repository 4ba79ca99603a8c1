package io.github.tribuokd.timeseries;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlidingWindowsTest {

    /** value(t, v) = t + v / 100, easy to recognise. */
    private static MultivariateSeries series(int steps, int vars, int[] labels) {
        float[] values = new float[steps * vars];
        for (int t = 0; t < steps; t++) {
            for (int v = 0; v < vars; v++) {
                values[t * vars + v] = t + v / 100f;
            }
        }
        return new MultivariateSeries("gen", steps, vars, values, labels);
    }

    @Test
    void windowCountsAndBounds() {
        SlidingWindows w = new SlidingWindows(4, 1);
        assertEquals(7, w.numWindows(10));
        assertEquals(1, w.numWindows(4));
        assertEquals(0, w.numWindows(3));
        assertEquals(0, w.numWindows(0));
        assertEquals(0, w.windowStart(0));
        assertEquals(3, w.windowEnd(0));
        assertEquals(6, w.windowStart(6));
        assertEquals(9, w.windowEnd(6));

        SlidingWindows s3 = new SlidingWindows(4, 3);
        assertEquals(3, s3.numWindows(10)); // starts 0, 3, 6; (10-4)/3+1 = 3
        assertEquals(3, s3.numWindows(11));
        assertEquals(4, s3.numWindows(13));
        assertEquals(6, s3.windowStart(2));
        assertEquals(9, s3.windowEnd(2));

        SlidingWindows one = new SlidingWindows(1, 1);
        assertEquals(5, one.numWindows(5));
        assertEquals(2, one.windowEnd(2));

        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(1, 0));
        assertThrows(IllegalArgumentException.class, () -> w.numWindows(-1));
        assertThrows(IllegalArgumentException.class, () -> w.windowStart(-1));
        assertEquals(new SlidingWindows(4, 3), s3);
        assertEquals(new SlidingWindows(4, 3).hashCode(), s3.hashCode());
    }

    @Test
    void featureNamesArePaddedAndSortLikeFlatteningOrder() {
        String[] names = SlidingWindows.featureNames(10, 38);
        assertEquals(380, names.length);
        assertEquals("t0.v00", names[0]);
        assertEquals("t0.v37", names[37]);
        assertEquals("t1.v00", names[38]);
        assertEquals("t9.v37", names[379]);

        assertEquals("t0.v0", SlidingWindows.featureNames(1, 1)[0]);
        String[] wide = SlidingWindows.featureNames(101, 11);
        assertEquals("t000.v00", wide[0]);
        assertEquals("t007.v03", wide[7 * 11 + 3]);
        assertEquals("t100.v10", wide[wide.length - 1]);

        for (int[] shape : new int[][]{{10, 38}, {101, 11}, {12, 9}, {1, 120}, {100, 1}, {11, 10}}) {
            String[] n = SlidingWindows.featureNames(shape[0], shape[1]);
            String[] sorted = n.clone();
            Arrays.sort(sorted);
            assertArrayEquals(n, sorted, "sorted names must keep index order for L=" + shape[0] + ", V=" + shape[1]);
            assertEquals(n.length, Arrays.stream(n).distinct().count());
        }
        assertArrayEquals(SlidingWindows.featureNames(5, 3), new SlidingWindows(5, 2).featureNames(3));
    }

    @Test
    void windowLabelsOnHandCase() {
        //            t: 0  1  2  3  4  5  6  7  8  9
        int[] labels = {0, 0, 0, 1, 0, 0, 0, 0, 1, 1};
        MultivariateSeries s = series(10, 2, labels);
        // L=3, s=1: windows [0,2] [1,3] [2,4] [3,5] [4,6] [5,7] [6,8] [7,9]
        assertArrayEquals(new int[]{0, 1, 1, 1, 0, 0, 1, 1}, new SlidingWindows(3, 1).windowLabels(s));
        // L=3, s=2: windows [0,2] [2,4] [4,6] [6,8]
        assertArrayEquals(new int[]{0, 1, 0, 1}, new SlidingWindows(3, 2).windowLabels(s));
        // L=1 reproduces the point labels
        assertArrayEquals(labels, new SlidingWindows(1, 1).windowLabels(s));
        // L=11 > n: no windows
        assertEquals(0, new SlidingWindows(11, 1).windowLabels(s).length);
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(3, 1).windowLabels(series(10, 2, null)));
    }

    @Test
    void windowValuesFillsReusableBuffer() {
        MultivariateSeries s = series(10, 3, null);
        SlidingWindows w = new SlidingWindows(4, 2);
        float[] buf = new float[20];
        assertSame(buf, w.windowValues(s, 1, buf));
        for (int t = 0; t < 4; t++) {
            for (int v = 0; v < 3; v++) {
                assertEquals(s.value(2 + t, v), buf[t * 3 + v]);
            }
        }
        assertEquals(0f, buf[12]);
        float[] fresh = w.windowValues(s, 3, null);
        assertEquals(12, fresh.length);
        assertEquals(s.value(6, 0), fresh[0]);
        assertEquals(s.value(9, 2), fresh[11]);
        assertThrows(IndexOutOfBoundsException.class, () -> w.windowValues(s, 4, null));
        assertThrows(IllegalArgumentException.class, () -> w.windowValues(s, 0, new float[11]));
    }

    @Test
    void toDatasetBuildsOneExamplePerWindow() {
        int[] labels = {0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0};
        MultivariateSeries s = series(12, 3, labels);
        SlidingWindows w = new SlidingWindows(3, 2); // starts 0,2,4,6,8 -> 5 windows
        MutableDataset<Event> ds = w.toDataset(s, "unit test");
        assertEquals(5, ds.size());
        assertTrue(ds.getOutputFactory() instanceof AnomalyFactory);

        String[] names = SlidingWindows.featureNames(3, 3);
        int[] windowLabels = w.windowLabels(s);
        assertArrayEquals(new int[]{0, 1, 0, 1, 1}, windowLabels);
        for (int i = 0; i < ds.size(); i++) {
            Example<Event> ex = ds.getExample(i);
            assertEquals(9, ex.size());
            Event.EventType expected = windowLabels[i] == 1 ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED;
            assertEquals(expected, ex.getOutput().getType(), "window " + i);
            // iteration order is the flattening order t * numVariables + v
            Iterator<Feature> it = ex.iterator();
            for (int t = 0; t < 3; t++) {
                for (int v = 0; v < 3; v++) {
                    Feature f = it.next();
                    assertEquals(names[t * 3 + v], f.getName());
                    assertEquals(s.value(w.windowStart(i) + t, v), f.getValue(), 0.0);
                }
            }
            assertFalse(it.hasNext());
            assertEquals(s.value(w.windowStart(i) + 2, 1), ex.lookup("t2.v1").getValue(), 0.0);
            assertNull(ex.lookup("t3.v0"));
        }

        // Tribuo assigns feature ids in name order: id i must be flattening index i
        ImmutableFeatureMap fmap = new ImmutableFeatureMap(ds.getFeatureMap());
        for (int i = 0; i < names.length; i++) {
            assertEquals(i, fmap.getID(names[i]), names[i]);
        }

        WindowedSeriesProvenance prov = (WindowedSeriesProvenance) ds.getProvenance().getSourceProvenance();
        assertEquals("gen", prov.seriesName());
        assertEquals("unit test", prov.description());
        assertEquals(3, prov.windowLength());
        assertEquals(2, prov.stride());
        assertEquals(5, prov.numWindows());
    }

    @Test
    void toDatasetOnWideWindowKeepsIdOrder() {
        MultivariateSeries s = series(30, 12, null);
        SlidingWindows w = new SlidingWindows(11, 1);
        MutableDataset<Event> ds = w.toDataset(s);
        assertEquals(20, ds.size());
        ImmutableFeatureMap fmap = new ImmutableFeatureMap(ds.getFeatureMap());
        String[] names = w.featureNames(12);
        for (int i = 0; i < names.length; i++) {
            assertEquals(i, fmap.getID(names[i]));
        }
        for (Example<Event> ex : ds) {
            assertEquals(Event.EventType.EXPECTED, ex.getOutput().getType());
        }
        // example 7, flattened index of (t=10, v=11) = 131, holds series value at (17, 11)
        Example<Event> ex7 = ds.getExample(7);
        assertEquals(s.value(17, 11), ex7.lookup(names[10 * 12 + 11]).getValue(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new SlidingWindows(31, 1).toDataset(s));
    }

    @Test
    void provenanceMarshallingRoundTrip() {
        MutableDataset<Event> ds = new SlidingWindows(2, 1).toDataset(series(5, 2, new int[]{0, 1, 0, 0, 0}), "x");
        WindowedSeriesProvenance prov = (WindowedSeriesProvenance) ds.getProvenance().getSourceProvenance();
        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(prov);
        assertNotNull(marshalled);
        WindowedSeriesProvenance back = (WindowedSeriesProvenance) ProvenanceUtil.unmarshalProvenance(marshalled);
        assertEquals(prov, back);
        assertTrue(prov.toString().contains("window-length"));
    }

    @Test
    public void windowMatrixHoldsTheWindowsRowByRow() {
        // 5 steps x 2 variables, values 10*t + v; L = 2, stride 1 -> windows 0..3
        float[] values = new float[10];
        for (int t = 0; t < 5; t++) {
            values[2 * t] = 10 * t;
            values[2 * t + 1] = 10 * t + 1;
        }
        MultivariateSeries series = new MultivariateSeries("s", 5, 2, values);
        SlidingWindows windows = new SlidingWindows(2, 1);
        float[] m = windows.windowMatrix(series, 1, 2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{10, 11, 20, 21, 20, 21, 30, 31}, m);
        org.junit.jupiter.api.Assertions.assertEquals(0, windows.windowMatrix(series, 4, 0).length);
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> windows.windowMatrix(series, 3, 2));
    }
}
