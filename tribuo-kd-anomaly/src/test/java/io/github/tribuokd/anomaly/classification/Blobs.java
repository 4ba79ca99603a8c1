package io.github.tribuokd.anomaly.classification;

import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.SplittableRandom;

/** Synthetic classification data: Gaussian blobs in 2 informative and 2 noise features. */
final class Blobs {

    static final String[] FEATURES = {"f0", "f1", "f2", "f3"};

    private Blobs() { }

    /**
     * {@code n} examples of {@code labels.length} classes whose centres lie on a circle of radius {@code radius}.
     */
    static MutableDataset<Label> make(int n, String[] labels, double radius, long seed) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("blobs seed " + seed,
                factory), factory);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int c = i % labels.length;
            double angle = 2 * Math.PI * c / labels.length;
            double[] v = {radius * Math.cos(angle) + rng.nextGaussian(), radius * Math.sin(angle) + rng.nextGaussian(),
                    rng.nextGaussian(), 5 + 3 * rng.nextGaussian()};
            data.add(new ArrayExample<>(new Label(labels[c]), FEATURES, v));
        }
        return data;
    }

    static MutableDataset<Label> threeClasses(int n, long seed) {
        return make(n, new String[]{"A", "B", "C"}, 2.5, seed);
    }

    static double accuracy(org.tribuo.Model<Label> model, Iterable<org.tribuo.Example<Label>> examples) {
        int right = 0, total = 0;
        for (org.tribuo.Example<Label> e : examples) {
            right += model.predict(e).getOutput().getLabel().equals(e.getOutput().getLabel()) ? 1 : 0;
            total++;
        }
        return right / (double) total;
    }
}
