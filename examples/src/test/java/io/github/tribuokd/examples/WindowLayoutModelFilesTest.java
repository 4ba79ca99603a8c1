package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.WindowLayout;
import io.github.tribuokd.timeseries.WindowedSeriesModel;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableFeatureMap;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model files written before {@link WindowLayout} became the one layout type still load, and the layout read back
 * from their feature names writes exactly those names again (the on-disk contract).
 */
public class WindowLayoutModelFilesTest {

    private static Path fixture(String name) throws URISyntaxException {
        return Paths.get(WindowLayoutModelFilesTest.class.getResource("ModelFileFuzzTestInputs/model/" + name).toURI());
    }

    @Test
    public void oldModelFilesKeepTheirLayoutAndNames() throws Exception {
        for (String name : new String[]{"seed-lstm-autoencoder.tribuo", "seed-dense-autoencoder.tribuo",
                "seed-pca.tribuo", "seed-knn.tribuo", "seed-distilled-score-mlp.tribuo"}) {
            WindowedSeriesModel model = WindowedSeriesModel.load(fixture(name));
            ImmutableFeatureMap map = model.model().getFeatureIDMap();
            String[] stored = new String[map.size()];
            for (int id = 0; id < stored.length; id++) {
                stored[id] = map.get(id).getName();
            }
            WindowLayout layout = model.layout();
            assertEquals(model.windowLength(), layout.steps(), name);
            assertEquals(model.variables(), layout.variableNames(), name);
            assertEquals(stored.length, layout.numFeatures(), name);
            assertArrayEquals(stored, layout.featureNames(), name);
            assertEquals(WindowLayout.of(map, name).withVariableNames(model.variables()), layout, name);
        }
    }
}
