package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class ThresholdProvenanceTest {

    private static void assertRoundTrip(ThresholdProvenance prov) {
        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(prov);
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(marshalled);
        assertTrue(back instanceof ThresholdProvenance, back.getClass().getName());
        assertEquals(prov, back);
        assertEquals(prov.hashCode(), back.hashCode());
        assertEquals(prov.getClassName(), back.getClassName());
        assertEquals(prov.toString(), back.toString());
    }

    @Test
    public void roundTripEveryRule() {
        double[] cal = GeneralizedParetoFitTest.sampleGpd(20_000, 0.1, 1.0, 99);
        assertRoundTrip(QuantileThreshold.fit(cal, 0.99).provenance());
        PotThreshold pot = PotThreshold.fit(cal);
        assertRoundTrip(pot.provenance());
        PotThreshold.Spot spot = pot.stream();
        for (double s : GeneralizedParetoFitTest.sampleGpd(2_000, 0.1, 1.0, 100)) {
            spot.update(s);
        }
        spot.update(1e9);
        assertRoundTrip(spot.snapshot().provenance());
        double[][] errors = {{1, 2, 1}, {2, 1, 2}, {1, 1, 1}, {3, 2, 3}};
        MahalanobisCountRule singular = MahalanobisCountRule.fit(errors, 4.0, 2);
        assertTrue(singular.covarianceWasSingular());
        assertRoundTrip(singular.provenance());
    }

    @Test
    public void iterationOrderAndAccessors() {
        Map<String, Provenance> values = new HashMap<>();
        values.put("b", new IntProvenance("b", 3));
        values.put("a", new DoubleProvenance("a", 0.5));
        ThresholdProvenance p = new ThresholdProvenance("some.Rule", values);
        Iterator<Pair<String, Provenance>> it = p.iterator();
        List<String> keys = new ArrayList<>();
        it.forEachRemaining(pair -> keys.add(pair.getA()));
        assertEquals(List.of(ObjectProvenance.CLASS_NAME, "a", "b"), keys);
        assertEquals("some.Rule", p.getClassName());
        assertEquals(0.5, p.getDouble("a"));
        assertEquals(3, p.getInt("b"));
        assertTrue(p.get("missing").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.getDouble("missing"));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.getLong("a"));
        assertTrue(e.getMessage().contains("DoubleProvenance"), e.getMessage());
        assertThrows(UnsupportedOperationException.class,
                () -> p.getValues().put("c", new LongProvenance("c", 1L)));

        ThresholdProvenance same = new ThresholdProvenance("some.Rule", Map.of("a", new DoubleProvenance("a", 0.5),
                "b", new IntProvenance("b", 3)));
        assertEquals(p, same);
        assertEquals(p.hashCode(), same.hashCode());
        assertNotEquals(p, new ThresholdProvenance("other.Rule", values));
        assertNotEquals(p, new ThresholdProvenance("some.Rule", Map.of("a", new DoubleProvenance("a", 0.6))));
    }

    @Test
    public void invalidConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new ThresholdProvenance("", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new ThresholdProvenance("r", Map.of(ObjectProvenance.CLASS_NAME, new IntProvenance(
                        ObjectProvenance.CLASS_NAME, 1))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ThresholdProvenance("r", Map.of("x", new IntProvenance("y", 1))));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("'y'"), e.getMessage());
    }
}
