package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test model whose anomaly score is the value of feature "s"; ANOMALOUS when s > threshold. */
final class ScoreFeatureModel extends Model<Event> {
    private static final long serialVersionUID = 1L;
    private final double threshold;
    private final boolean invert;

    private ScoreFeatureModel(ModelProvenance p, ImmutableFeatureMap f, ImmutableOutputInfo<Event> o,
                              double threshold, boolean invert) {
        super("score-feature", p, f, o, false);
        this.threshold = threshold;
        this.invert = invert;
    }

    @Override
    public Prediction<Event> predict(Example<Event> example) {
        double s = example.lookup("s").getValue();
        boolean anomalous = invert ? s < threshold : s > threshold;
        return new Prediction<>(new Event(anomalous ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED, s), 1,
                example);
    }

    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        return Collections.emptyMap();
    }

    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        return Optional.empty();
    }

    @Override
    protected Model<Event> copy(String name, ModelProvenance p) {
        return new ScoreFeatureModel(p, featureIDMap, outputIDInfo, threshold, invert);
    }

    /** Its trainer, for provenance. */
    static final class ScoreFeatureTrainer implements Trainer<Event> {
        @Config(description = "threshold")
        private double threshold = 0.5;
        @Config(description = "flip the decision (not a threshold on the score)")
        private boolean invert = false;

        private ScoreFeatureTrainer() { }

        ScoreFeatureTrainer(double threshold, boolean invert) {
            this.threshold = threshold;
            this.invert = invert;
        }

        @Override
        public Model<Event> train(Dataset<Event> examples, Map<String, Provenance> runProvenance) {
            TrainerProvenance tp = getProvenance();
            ModelProvenance p = new ModelProvenance(ScoreFeatureModel.class.getName(), OffsetDateTime.now(),
                    examples.getProvenance(), tp, runProvenance);
            return new ScoreFeatureModel(p, examples.getFeatureIDMap(), examples.getOutputIDInfo(), threshold, invert);
        }

        @Override
        public int getInvocationCount() {
            return 0;
        }

        @Override
        public TrainerProvenance getProvenance() {
            return new TrainerProvenanceImpl(this);
        }
    }

    /** A time-ordered dataset with feature "s" = score and the given labels. */
    static MutableDataset<Event> dataset(double[] scores, int[] labels) {
        AnomalyFactory f = new AnomalyFactory();
        MutableDataset<Event> d = new MutableDataset<>(new SimpleDataSourceProvenance("scores", f), f);
        for (int i = 0; i < scores.length; i++) {
            d.add(new ArrayExample<>(new Event(labels[i] == 1 ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED),
                    new String[]{"s"}, new double[]{scores[i]}));
        }
        return d;
    }
}
