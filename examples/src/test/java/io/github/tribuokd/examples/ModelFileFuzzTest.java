package io.github.tribuokd.examples;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.VariableInfo;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzzes model-file loading: mutated bytes of small valid model files (PCA, k-NN, dense autoencoder, a distilled
 * score-MLP detector holding its teacher, an LSTM autoencoder) through Tribuo's protobuf path
 * ({@link Model#deserializeFromFile(Path)}, which finds each class's {@code deserializeFromProto}), then one prediction
 * when the file loads. Declared: {@link IOException} (with protobuf's {@code InvalidProtocolBufferException}),
 * {@link IllegalArgumentException} and {@link IllegalStateException} (Tribuo wraps what a {@code deserializeFromProto}
 * throws in an {@code IllegalStateException}); a {@code NullPointerException}, {@code ArrayIndexOutOfBoundsException},
 * {@code NegativeArraySizeException}, {@code OutOfMemoryError}, ... anywhere in the cause chain is a finding. See
 * {@link FuzzSupport}.
 */
@Tag("fuzz")
class ModelFileFuzzTest {

    /**
     * Findings recorded in docs/RELIABILITY.md ("Fuzzing") that this project cannot fix: in OLCUT's and Tribuo's
     * provenance decoding (third-party code reached through {@code ModelDataCarrier.deserialize}). Counted, not failed,
     * so that any new finding still fails the run. Regular expressions matched at the start of
     * {@link FuzzSupport#signature(Throwable)}. The two findings in this project's model classes (a feature id out of
     * range, a {@code NullPointerException} in {@code DistilledAnomalyModel}) are fixed: their regression tests are in
     * {@code tribuo-kd-anomaly}'s {@code FeatureDomainChecksTest}.
     */
    static final List<String> KNOWN = List.of(
            // Third-party decoding of the Tribuo metadata every model file holds (ModelDataCarrier: provenance,
            // feature and output maps) in Tribuo 4.3.2 and OLCUT 5.3.1, which is not hardened against corrupt bytes:
            // ArrayIndexOutOfBounds, IndexOutOfBounds, ClassCast and NullPointer exceptions in their code ...
            "[\\w.$]+ at (org\\.tribuo|com\\.oracle\\.labs\\.mlrg\\.olcut)\\.",
            // ... and OLCUT's recursion on a cyclic provenance reference, overflowing the stack in protobuf's lists
            "java\\.lang\\.StackOverflowError at (com\\.google\\.protobuf|com\\.oracle\\.labs\\.mlrg\\.olcut)\\.");

    private static Path dir;

    @BeforeAll
    static void createDir() throws IOException {
        dir = FuzzFiles.tempDir("fuzz-model");
    }

    @AfterAll
    static void deleteDir() throws IOException {
        FuzzFiles.deleteTree(dir);
    }

    @SuppressWarnings("unchecked")
    static void load(byte[] data) throws IOException {
        Path f = dir.resolve("model.tribuo");
        Files.write(f, data);
        Model<?> model = Model.deserializeFromFile(f);
        if (model.validate(Event.class)) {
            ImmutableFeatureMap features = model.getFeatureIDMap();
            String[] names = new String[features.size()];
            double[] values = new double[names.length];
            int i = 0;
            for (VariableInfo info : features) {
                names[i] = info.getName();
                values[i++] = 0.25 * (i % 5);
            }
            ((Model<Event>) model).predict(new ArrayExample<>(new Event(Event.EventType.EXPECTED), names, values));
        }
    }

    @FuzzTest(maxDuration = "3m")
    void model(byte[] data) throws Throwable {
        FuzzSupport.check(data, KNOWN, ModelFileFuzzTest::load, IOException.class, IllegalArgumentException.class,
                IllegalStateException.class);
    }

    @Test
    void mutatedModel() throws Exception {
        FuzzSupport.mutate("model", FuzzSupport.seeds(getClass(), "model"), 1500, KNOWN, ModelFileFuzzTest::load,
                IOException.class, IllegalArgumentException.class, IllegalStateException.class);
    }
}
