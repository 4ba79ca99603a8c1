package io.github.tribuokd.anomaly.images;

import io.github.tribuokd.anomaly.FeatureMatrix;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks against the real MNIST (and, when present, Fashion-MNIST) files of the datasets folder beside the
 * repository (see docs/DATA.md); skipped when they are not there.
 */
class RealMnistTest {

    private static Optional<Path> dataDir(String name) {
        return Stream.of("../../shared/data/", "../shared/data/")
                .map(prefix -> Path.of(prefix + name))
                .filter(Files::isDirectory)
                .findFirst();
    }

    @Test
    void mnistCountsDigestsAndTheDigit5TopUp() throws IOException {
        Optional<Path> dir = dataDir("MNIST");
        assumeTrue(dir.isPresent(), "MNIST not found in the datasets folder beside the repository (see docs/DATA.md); skipping the real-data check");
        IdxImages train = IdxImages.loadSplit(dir.get(), true);
        IdxImages test = IdxImages.loadSplit(dir.get(), false);
        assertEquals(60000, train.count());
        assertEquals(10000, test.count());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertArrayEquals(new int[]{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.classCounts());
        assertArrayEquals(new int[]{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
        // the widely published MD5s of the uncompressed files
        assertEquals("6bbc9ace898e44ae57da46a324031adb", train.imagesMd5());
        assertEquals("a25bea736e30d166cdddb491f175f624", train.labelsMd5());
        assertEquals("2646ac647ad5339dbf082846283269ea", test.imagesMd5());
        assertEquals("27ae3e4e09519cfbb04c329615203637", test.labelsMd5());
        assertEquals(5, train.label(0));
        assertEquals(7, test.label(0));

        OneClassImageSplit five = OneClassImageSplit.create(train, test, 5, 2024L);
        assertEquals(108, five.normalFromTraining());
        assertEquals(5421 - 108, five.trainingSize());
        assertEquals(2000, five.testSize());
        int lastKept = five.trainingIndices()[five.trainingSize() - 1];
        for (OneClassImageSplit.TestEntry e : five.testEntries()) {
            if (e.isAnomaly()) {
                assertNotEquals(5, test.label(e.index()));
            } else if (e.source() == OneClassImageSplit.Source.TRAIN) {
                assertEquals(5, train.label(e.index()));
                assertEquals(true, e.index() > lastKept);
            }
        }
        MutableDataset<Event> testSet = five.testDataset();
        ImmutableFeatureMap fmap = new ImmutableFeatureMap(testSet.getFeatureMap());
        assertEquals(784, fmap.size());
        assertEquals(0, fmap.getID("p000"));
        assertEquals(783, fmap.getID("p783"));
        assertArrayEquals(five.testPixels(), FeatureMatrix.toMatrix(testSet, fmap));

        OneClassImageSplit one = OneClassImageSplit.create(train, test, 1, 2024L);
        assertEquals(0, one.normalFromTraining());
        assertEquals(6742, one.trainingSize());
    }

    @Test
    void fashionMnistHas1000TestImagesPerClass() throws IOException {
        Optional<Path> dir = dataDir("FashionMNIST");
        assumeTrue(dir.isPresent(), "FashionMNIST not found in the datasets folder beside the repository (see docs/DATA.md); skipping the real-data check");
        IdxImages train = IdxImages.loadSplit(dir.get(), true);
        IdxImages test = IdxImages.loadSplit(dir.get(), false);
        assertEquals(60000, train.count());
        assertEquals(10000, test.count());
        for (int c = 0; c < IdxImages.NUM_CLASSES; c++) {
            assertEquals(1000, test.classCounts()[c]);
            assertEquals(6000, train.classCounts()[c]);
        }
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 0, 1L);
        assertEquals(0, split.normalFromTraining());
        assertEquals(6000, split.trainingSize());
    }
}
