package io.github.tribuokd.anomaly.images;

import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import io.github.tribuokd.anomaly.FeatureMatrix;
import io.github.tribuokd.anomaly.images.OneClassImageSplit.Source;
import io.github.tribuokd.anomaly.images.OneClassImageSplit.TestEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.anomaly.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OneClassImageSplitTest {

    @TempDir
    Path dir;

    /** 100 training images (10 per class) and 50 test images (5 per class), labels cycling 0..9, 4x4 pixels. */
    private IdxImages train;
    private IdxImages test;

    @BeforeEach
    void setUp() throws IOException {
        train = IdxFixtures.split(dir, true, IdxFixtures.cyclicLabels(10), 1, true);
        test = IdxFixtures.split(dir, false, IdxFixtures.cyclicLabels(5), 2, false);
    }

    @Test
    void featureNamesArePaddedSoNameOrderIsPixelOrder() {
        String[] names = OneClassImageSplit.featureNames(784);
        assertEquals(784, names.length);
        assertEquals("p000", names[0]);
        assertEquals("p009", names[9]);
        assertEquals("p099", names[99]);
        assertEquals("p783", names[783]);
        String[] sorted = names.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(names, sorted);
        assertArrayEquals(new String[]{"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"},
                OneClassImageSplit.featureNames(10));
        assertEquals("p00", OneClassImageSplit.featureNames(11)[0]);
        assertEquals("p10", OneClassImageSplit.featureNames(11)[10]);
        assertArrayEquals(new String[]{"p0"}, OneClassImageSplit.featureNames(1));
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.featureNames(0));
    }

    @Test
    void splitWithEnoughTestNormals() {
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 3, 4, 20, 7L);
        assertEquals(0, split.normalFromTraining());
        assertArrayEquals(train.indicesOfClass(3), split.trainingIndices());
        assertEquals(10, split.trainingSize());
        assertEquals(24, split.testSize());
        List<TestEntry> entries = split.testEntries();
        int[] classTest = test.indicesOfClass(3);
        for (int k = 0; k < 4; k++) {
            assertEquals(new TestEntry(Source.TEST, classTest[k], false), entries.get(k));
        }
        checkAnomalies(split, 3);
        int[] labels = split.testLabels();
        for (int i = 0; i < labels.length; i++) {
            assertEquals(i < 4 ? 0 : 1, labels[i]);
        }
        assertThrows(UnsupportedOperationException.class, () -> entries.remove(0));
    }

    @Test
    void topUpMovesTheLastTrainingImagesOfTheClass() {
        // class 6 has 5 test images; ask for 8 normals, so 3 come from the end of class 6's 10 training images
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 6, 8, 10, 3L);
        int[] classTrain = train.indicesOfClass(6);
        int[] classTest = test.indicesOfClass(6);
        assertEquals(3, split.normalFromTraining());
        assertArrayEquals(java.util.Arrays.copyOf(classTrain, 7), split.trainingIndices());
        List<TestEntry> entries = split.testEntries();
        assertEquals(18, entries.size());
        for (int k = 0; k < 5; k++) {
            assertEquals(new TestEntry(Source.TEST, classTest[k], false), entries.get(k));
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(new TestEntry(Source.TRAIN, classTrain[7 + k], false), entries.get(5 + k));
        }
        // no training image is also a test image
        Set<Integer> training = new HashSet<>();
        for (int i : split.trainingIndices()) {
            training.add(i);
        }
        for (TestEntry e : entries) {
            assertFalse(e.source() == Source.TRAIN && training.contains(e.index()), e.toString());
        }
        checkAnomalies(split, 6);

        // the test pixels follow the entries: top-up images come from the training file (salt 1)
        float[] pixels = split.testPixels();
        assertEquals(18 * 16, pixels.length);
        assertEquals(2 / 255f, pixels[4 * 16 + 2]);
        assertEquals(1 / 255f, pixels[5 * 16 + 2]);
        assertEquals((classTrain[7] % 256) / 255f, pixels[5 * 16]);
        assertEquals(60 / 255f, pixels[5 * 16 + 1]);

        MutableDataset<Event> testSet = split.testDataset();
        ImageDataProvenance prov = (ImageDataProvenance) testSet.getSourceProvenance();
        assertEquals(3, prov.getInt(ImageDataProvenance.NORMAL_FROM_TRAIN));
        assertEquals(7, prov.getInt(ImageDataProvenance.TRAINING_SIZE));
    }

    @Test
    void topUpThatWouldEmptyTheTrainingSetIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OneClassImageSplit.create(train, test, 6, 15, 10, 3L));
        assertTrue(e.getMessage().contains("no training image"), e.getMessage());
        OneClassImageSplit ok = OneClassImageSplit.create(train, test, 6, 14, 10, 3L);
        assertEquals(1, ok.trainingSize());
    }

    @Test
    void argumentChecks() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.create(train, test, 10, 4, 4, 1L));
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.create(train, test, -1, 4, 4, 1L));
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.create(train, test, 1, 0, 4, 1L));
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.create(train, test, 1, 4, 0, 1L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OneClassImageSplit.create(train, test, 1, 4, 46, 1L));
        assertTrue(e.getMessage().contains("only 45 images"), e.getMessage());
        assertEquals(45, OneClassImageSplit.create(train, test, 1, 4, 45, 1L).anomalyTestCount());

        Path other = dir.resolve("other");
        byte[] labels = {0, 1};
        IdxFixtures.write(other.resolve("i"), IdxFixtures.imageContent(2, 2, 8, new byte[32]), false);
        IdxFixtures.write(other.resolve("l"), IdxFixtures.labelContent(labels), false);
        IdxImages wide = IdxImages.load(other.resolve("i"), other.resolve("l"));
        e = assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.create(train, wide, 1, 1, 1, 1L));
        assertTrue(e.getMessage().contains("4x4") && e.getMessage().contains("2x8"), e.getMessage());
    }

    @Test
    void seedMakesTheSplitReproducible() {
        OneClassImageSplit a = OneClassImageSplit.create(train, test, 2, 5, 20, 42L);
        OneClassImageSplit b = OneClassImageSplit.create(train, test, 2, 5, 20, 42L);
        OneClassImageSplit c = OneClassImageSplit.create(train, test, 2, 5, 20, 43L);
        assertEquals(a.testEntries(), b.testEntries());
        assertArrayEquals(a.trainingIndices(), b.trainingIndices());
        assertNotEquals(a.testEntries(), c.testEntries());
        // only the anomalies depend on the seed
        assertEquals(a.testEntries().subList(0, 5), c.testEntries().subList(0, 5));
        assertArrayEquals(a.trainingIndices(), c.trainingIndices());
    }

    @Test
    void anomaliesCoverTheOtherClassesAndNeverTheNormalOne() {
        // 40 of the 45 other-class test images: every other class shows up
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 0, 5, 40, 9L);
        checkAnomalies(split, 0);
        Set<Integer> classes = new HashSet<>();
        for (TestEntry e : split.testEntries()) {
            if (e.isAnomaly()) {
                classes.add(test.label(e.index()));
            }
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9), classes);
    }

    private void checkAnomalies(OneClassImageSplit split, int normalClass) {
        Set<Integer> seen = new HashSet<>();
        int previous = -1;
        int anomalies = 0;
        boolean inAnomalies = false;
        for (TestEntry e : split.testEntries()) {
            if (e.isAnomaly()) {
                inAnomalies = true;
                anomalies++;
                assertEquals(Source.TEST, e.source());
                assertNotEquals(normalClass, test.label(e.index()), e.toString());
                assertTrue(seen.add(e.index()), "duplicate anomaly " + e);
                assertTrue(e.index() > previous, "anomalies are in ascending file order");
                previous = e.index();
            } else {
                assertFalse(inAnomalies, "normals come first");
                IdxImages source = e.source() == Source.TRAIN ? train : test;
                assertEquals(normalClass, source.label(e.index()));
            }
        }
        assertEquals(split.anomalyTestCount(), anomalies);
    }

    @Test
    void datasetsAreDenseWithPixelOrderedFeatureIds() {
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 4, 6, 12, 5L);
        MutableDataset<Event> training = split.trainingDataset();
        MutableDataset<Event> testSet = split.testDataset();
        assertEquals(split.trainingSize(), training.size());
        assertEquals(18, testSet.size());
        for (MutableDataset<Event> d : List.of(training, testSet)) {
            ImmutableFeatureMap fmap = new ImmutableFeatureMap(d.getFeatureMap());
            // all 16 features, including pixel 3 which is 0 in every image
            assertEquals(16, fmap.size());
            for (int i = 0; i < 16; i++) {
                assertEquals(i, fmap.getID(String.format("p%02d", i)));
            }
            for (Example<Event> e : d) {
                assertEquals(16, e.size());
                assertEquals(0.0, e.lookup("p03").getValue());
            }
            assertTrue(d.isDense());
        }
        ImmutableFeatureMap trainMap = new ImmutableFeatureMap(training.getFeatureMap());
        assertArrayEquals(split.trainingPixels(), FeatureMatrix.toMatrix(training, trainMap));
        assertArrayEquals(split.testPixels(),
                FeatureMatrix.toMatrix(testSet, new ImmutableFeatureMap(testSet.getFeatureMap())));
        // the test set read through the training feature map (what a fitted model does)
        assertArrayEquals(split.testPixels(), FeatureMatrix.toMatrix(testSet, trainMap));

        for (Example<Event> e : training) {
            assertEquals(Event.EventType.EXPECTED, e.getOutput().getType());
        }
        int[] labels = split.testLabels();
        int i = 0;
        for (Example<Event> e : testSet) {
            assertEquals(labels[i++] == 1 ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED,
                    e.getOutput().getType());
        }
        // pixel 1 holds label * 10
        float[] pixels = split.trainingPixels();
        assertEquals(40 / 255f, pixels[1]);
        assertEquals(split.trainingSize() * 16, pixels.length);
    }

    @Test
    void datasetsCarryProvenance() {
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 8, 6, 12, 11L);
        MutableDataset<Event> training = split.trainingDataset();
        ImageDataProvenance prov = (ImageDataProvenance) training.getSourceProvenance();
        assertEquals(ImageDataProvenance.SPLIT_TRAIN, prov.split());
        assertEquals(11L, prov.seed());
        assertEquals(9, prov.numExamples());
        assertEquals(8, prov.getInt(ImageDataProvenance.NORMAL_CLASS));
        assertEquals(6, prov.getInt(ImageDataProvenance.NORMAL_TEST_COUNT));
        assertEquals(12, prov.getInt(ImageDataProvenance.ANOMALY_TEST_COUNT));
        assertEquals(1, prov.getInt(ImageDataProvenance.NORMAL_FROM_TRAIN));
        assertEquals(4, prov.getInt(ImageDataProvenance.ROWS));
        assertEquals(dir.toAbsolutePath().normalize().toString(), prov.getString(ImageDataProvenance.DIRECTORY));
        assertEquals(dir.resolve(IdxImages.TRAIN_IMAGES).toAbsolutePath().normalize().toString(),
                prov.getString(ImageDataProvenance.TRAIN_PREFIX + ImageDataProvenance.IMAGES_FILE));
        assertEquals(train.imagesMd5(), prov.getString(ImageDataProvenance.TRAIN_PREFIX + ImageDataProvenance.IMAGES_MD5));
        assertEquals(test.labelsMd5(), prov.getString(ImageDataProvenance.TEST_PREFIX + ImageDataProvenance.LABELS_MD5));
        assertEquals(test.imagesFileSize(), prov.getLong(ImageDataProvenance.TEST_PREFIX + ImageDataProvenance.IMAGES_BYTES));
        assertEquals(100, prov.getInt(ImageDataProvenance.TRAIN_PREFIX + ImageDataProvenance.COUNT));
        assertThrows(IllegalArgumentException.class, () -> prov.getInt(ImageDataProvenance.DESCRIPTION));
        assertTrue(prov.toString().contains("one-class-train"), prov.toString());

        ImageDataProvenance testProv = (ImageDataProvenance) split.testDataset().getSourceProvenance();
        assertEquals(ImageDataProvenance.SPLIT_TEST, testProv.split());
        assertEquals(18, testProv.numExamples());

        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(prov);
        ImageDataProvenance back = (ImageDataProvenance) ProvenanceUtil.unmarshalProvenance(marshalled);
        assertEquals(prov, back);
        assertEquals(prov.hashCode(), back.hashCode());
        // and nested in the dataset's provenance
        assertEquals(training.getProvenance(), ProvenanceUtil.unmarshalProvenance(
                ProvenanceUtil.marshalProvenance(training.getProvenance())));
    }

    @Test
    void outlierExposureDataset() throws IOException {
        IdxImages other = IdxFixtures.split(dir.resolve("fashion"), true, IdxFixtures.cyclicLabels(3), 9, true);
        int[] indices = OneClassImageSplit.outlierExposureIndices(other, 7, 21L);
        assertEquals(7, indices.length);
        for (int k = 1; k < indices.length; k++) {
            assertTrue(indices[k] > indices[k - 1]);
        }
        assertArrayEquals(indices, OneClassImageSplit.outlierExposureIndices(other, 7, 21L));
        assertFalse(java.util.Arrays.equals(indices, OneClassImageSplit.outlierExposureIndices(other, 7, 22L)));
        assertEquals(30, OneClassImageSplit.outlierExposureIndices(other, 30, 21L).length);
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.outlierExposureIndices(other, 31, 1L));
        assertThrows(IllegalArgumentException.class, () -> OneClassImageSplit.outlierExposureIndices(other, 0, 1L));

        MutableDataset<Event> oe = OneClassImageSplit.outlierExposureDataset(other, 7, 21L, "synthetic fashion");
        assertEquals(7, oe.size());
        for (Example<Event> e : oe) {
            assertEquals(Event.EventType.EXPECTED, e.getOutput().getType());
            assertEquals(16, e.size());
        }
        assertArrayEquals(OneClassImageSplit.pixels(other, indices),
                FeatureMatrix.toMatrix(oe, new ImmutableFeatureMap(oe.getFeatureMap())));
        ImageDataProvenance prov = (ImageDataProvenance) oe.getSourceProvenance();
        assertEquals(ImageDataProvenance.SPLIT_OUTLIER_EXPOSURE, prov.split());
        assertEquals("synthetic fashion", prov.getString(ImageDataProvenance.DESCRIPTION));
        assertEquals(21L, prov.seed());
        assertEquals(7, prov.numExamples());
        assertEquals(other.imagesMd5(), prov.getString(ImageDataProvenance.SOURCE_PREFIX + ImageDataProvenance.IMAGES_MD5));
        assertTrue(prov.getString(ImageDataProvenance.OUTPUTS).contains("not known anomalies"));
        assertFalse(prov.get(ImageDataProvenance.NORMAL_CLASS).isPresent());

        // the features line up with a split's features of the same image shape
        OneClassImageSplit split = OneClassImageSplit.create(train, test, 1, 5, 5, 1L);
        ImmutableFeatureMap trainMap = new ImmutableFeatureMap(split.trainingDataset().getFeatureMap());
        assertArrayEquals(OneClassImageSplit.pixels(other, indices), FeatureMatrix.toMatrix(oe, trainMap));
    }
}
