package io.github.tribuokd.anomaly.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.anomaly.Event;
import org.tribuo.test.Helpers;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configurable outlier-exposure source: a seeded draw, provenance that round-trips, clear errors. */
public class IdxOutlierSourceTest {

    private static List<String> firstPixels(IdxOutlierSource source) {
        List<String> out = new ArrayList<>();
        for (Example<Event> e : source) {
            out.add(e.lookup("p00").getValue() + "/" + e.lookup("p01").getValue());
            assertEquals(Event.EventType.EXPECTED, e.getOutput().getType());
            assertEquals(16, e.size());
        }
        return out;
    }

    @Test
    public void drawsTheRequestedImagesReproducibly(@TempDir Path dir) throws Exception {
        IdxFixtures.split(dir, true, IdxFixtures.cyclicLabels(5), 3, true);
        IdxOutlierSource a = new IdxOutlierSource(dir, true, 20, 7L);
        IdxOutlierSource b = new IdxOutlierSource(dir, true, 20, 7L);
        IdxOutlierSource c = new IdxOutlierSource(dir, true, 20, 8L);
        assertEquals(20, a.size());
        assertEquals(firstPixels(a), firstPixels(b));
        assertNotEquals(firstPixels(a), firstPixels(c));
        Helpers.testProvenanceMarshalling(a.getProvenance());
        assertThrows(IllegalArgumentException.class, () -> new IdxOutlierSource(dir, true, 51, 1L));
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> new IdxOutlierSource(dir.resolve("missing"), true, 5, 1L));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
}
