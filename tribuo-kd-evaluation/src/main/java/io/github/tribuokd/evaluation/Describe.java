package io.github.tribuokd.evaluation;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import io.github.tribuokd.timeseries.WindowedSeriesDataSourceProvenance;
import io.github.tribuokd.timeseries.WindowedSeriesProvenance;
import org.tribuo.Model;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;

import java.util.Set;

/**
 * Short descriptions of a model and of a data set for error messages: which model, which file.
 */
final class Describe {

    /** Keys of configured provenance that say where data came from, in order of preference. */
    private static final Set<String> WHERE = Set.of("path", "file", "directory", "entity", "part", "description");

    private Describe() {
    }

    /**
     * Describes a model by its name and class.
     * @param model The model.
     * @return E.g. {@code model 'detector' (DenseAutoencoderModel)}.
     */
    static String model(Model<?> model) {
        String name = model.getName();
        return "model " + (name == null || name.isEmpty() ? "" : "'" + name + "' ") + "("
                + model.getClass().getSimpleName() + ")";
    }

    /**
     * Describes a data set by the series and file its provenance records.
     * @param provenance The data provenance (a dataset's or a data source's), or null.
     * @return E.g. {@code series 'data' (path=/data/test.csv)}, or the provenance class when nothing better is known.
     */
    static String data(DataProvenance provenance) {
        if (provenance == null) {
            return "data of unknown provenance";
        }
        DataProvenance p = provenance;
        if (p instanceof DatasetProvenance) {
            p = ((DatasetProvenance) p).getSourceProvenance();
        }
        if (p instanceof WindowedSeriesProvenance) {
            WindowedSeriesProvenance w = (WindowedSeriesProvenance) p;
            return "series '" + w.seriesName() + "' (" + w.description() + ")";
        }
        StringBuilder where = new StringBuilder();
        collectWhere(p, where, 0);
        if (p instanceof WindowedSeriesDataSourceProvenance) {
            String what = "series '" + ((WindowedSeriesDataSourceProvenance) p).seriesName() + "'";
            return where.length() == 0 ? what : what + " (" + where + ")";
        }
        return where.length() == 0 ? "data of provenance " + p.getClass().getSimpleName() : "data (" + where + ")";
    }

    private static void collectWhere(ObjectProvenance p, StringBuilder where, int depth) {
        if (depth > 4) {
            return;
        }
        for (Pair<String, Provenance> pair : p) {
            Provenance value = pair.getB();
            if (value instanceof PrimitiveProvenance && WHERE.contains(pair.getA())) {
                if (where.length() > 0) {
                    where.append(", ");
                }
                where.append(pair.getA()).append('=').append(((PrimitiveProvenance<?>) value).getValue());
            } else if (value instanceof ObjectProvenance) {
                collectWhere((ObjectProvenance) value, where, depth + 1);
            }
        }
    }
}
