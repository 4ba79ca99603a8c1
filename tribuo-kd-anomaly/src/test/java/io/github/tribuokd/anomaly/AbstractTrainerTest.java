package io.github.tribuokd.anomaly;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import io.github.tribuokd.nn.Activation;
import io.github.tribuokd.nn.LossFunction;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.TrainerProvenance;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The behaviour every trainer shares through {@link AbstractKDTrainer} and {@link AbstractEpochTrainer}: Tribuo's
 * invocation-count semantics, seed reproducibility, trainer provenance and its round trip through OLCUT.
 */
public class AbstractTrainerTest {

    private static final MutableDataset<Event> DATA = TestData.manifold(400, 0, 11L);
    private static final List<Example<Event>> PROBE = TestData.normals(TestData.manifold(40, 0, 12L));

    private static ScoreDistillationTrainer distillation() {
        return new ScoreDistillationTrainer(DenseAutoencoderTest.trainer(5),
                new MLPRegressionTrainer(new int[]{8}, Activation.TANH, LossFunction.MAE, 5, 32, 9L));
    }

    private static DenseReconstructionDistillationTrainer denseDistillation() {
        return new DenseReconstructionDistillationTrainer(DenseAutoencoderTest.trainer(5), new int[]{3},
                Activation.TANH, 0.5, 1.0, 5, 32, new io.github.tribuokd.nn.AdamOptimiser(0.005), 6L, 0.2, 0.99);
    }

    /** The trainer recreated by OLCUT from a trainer provenance. */
    private static Trainer<?> fromProvenance(TrainerProvenance provenance) {
        List<ConfigurationData> configs = ProvenanceUtil.extractConfiguration(provenance);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(configs);
        String host = configs.stream().filter(c -> c.getClassName().equals(provenance.getClassName()))
                .findFirst().orElseThrow(AssertionError::new).getName();
        return (Trainer<?>) cm.lookup(host);
    }

    private static int invocationCount(TrainerProvenance provenance) {
        return ((IntProvenance) provenance.getInstanceValues().get(TrainerProvenance.TRAIN_INVOCATION_COUNT))
                .getValue();
    }

    private static double[] scores(Model<Event> model) {
        return ((ScoredModel) model).scores(PROBE);
    }

    @Test
    public void setInvocationCountReproducesEveryRun() {
        List<AbstractKDTrainer<Event, ?>> trainers = List.of(DenseAutoencoderTest.trainer(3),
                new PCAReconstructionTrainer(0.9, 0.2, 0.99), new KNearestWindowTrainer(3, 200, 0.2, 0.99),
                denseDistillation());
        for (AbstractKDTrainer<Event, ?> trainer : trainers) {
            Model<Event> first = trainer.train(DATA);
            Model<Event> second = trainer.train(DATA);
            assertEquals(2, trainer.getInvocationCount(), trainer.toString());
            trainer.setInvocationCount(0);
            assertArrayEquals(scores(first), scores(trainer.train(DATA)), trainer.toString());
            assertArrayEquals(scores(second), scores(trainer.train(DATA)), trainer.toString());
            // The explicit invocation count of the three-argument train, twice in a row: the same model.
            assertArrayEquals(scores(first), scores(trainer.train(DATA, Collections.emptyMap(), 0)),
                    trainer.toString());
            assertArrayEquals(scores(first), scores(trainer.train(DATA, Collections.emptyMap(), 0)),
                    trainer.toString());
            assertEquals(1, trainer.getInvocationCount(), trainer.toString());
            // The provenance records the invocation count before the run.
            assertEquals(0, invocationCount(first.getProvenance().getTrainerProvenance()));
            assertEquals(1, invocationCount(second.getProvenance().getTrainerProvenance()));
        }
    }

    @Test
    public void epochTrainersDifferBetweenRunsAndSeeds() {
        DenseAutoencoderTrainer trainer = DenseAutoencoderTest.trainer(3);
        double[] first = scores(trainer.train(DATA));
        assertFalse(java.util.Arrays.equals(first, scores(trainer.train(DATA))));
        assertFalse(java.util.Arrays.equals(first, scores(DenseAutoencoderTest.trainer(4).train(DATA))));
        assertArrayEquals(first, scores(DenseAutoencoderTest.trainer(3).train(DATA)));
    }

    @Test
    public void provenanceRoundTripsThroughOlcut() {
        List<AbstractKDTrainer<Event, ?>> trainers = List.of(DenseAutoencoderTest.trainer(3),
                new PCAReconstructionTrainer(0.9, 0.2, 0.99), new KNearestWindowTrainer(3, 200, 0.2, 0.99),
                distillation(), denseDistillation());
        for (AbstractKDTrainer<Event, ?> trainer : trainers) {
            Model<Event> model = trainer.train(DATA);
            TrainerProvenance recorded = model.getProvenance().getTrainerProvenance();
            Trainer<?> recreated = fromProvenance(recorded);
            assertEquals(trainer.getClass(), recreated.getClass());
            assertEquals(recorded, recreated.getProvenance(), trainer.toString());
            assertEquals(trainer.toString(), recreated.toString());
            // The recreated trainer's first run is the original's first run.
            @SuppressWarnings("unchecked")
            Trainer<Event> again = (Trainer<Event>) recreated;
            assertArrayEquals(scores(model), scores(again.train(DATA)), trainer.toString());
        }
    }

    @Test
    public void sharedConfigFieldsKeepTheirNames() {
        TrainerProvenance p = DenseAutoencoderTest.trainer(3).getProvenance();
        for (String name : new String[]{"seed", "epochs", "batchSize", "validationFraction", "thresholdQuantile",
                "anomalousLabels", "optimiser"}) {
            assertFalse(p.getConfiguredParameters().get(name) == null, name);
        }
        assertEquals(40, ((IntProvenance) p.getConfiguredParameters().get("epochs")).getValue());
    }

    @Test
    public void refusalsBeforeTheRunAreNotInvocations() {
        ScoreDistillationTrainer noTeacher = new ScoreDistillationTrainer(null,
                new MLPRegressionTrainer(new int[]{8}, Activation.TANH, LossFunction.MAE, 5, 32, 9L));
        assertThrows(IllegalStateException.class, () -> noTeacher.train(DATA));
        assertEquals(0, noTeacher.getInvocationCount());
        assertThrows(IllegalArgumentException.class, () -> DenseAutoencoderTest.trainer(3).setInvocationCount(-1));
        assertThrows(IllegalArgumentException.class,
                () -> new PCAReconstructionTrainer(0.9, 0.2, 0.99).setInvocationCount(-1));
    }
}
