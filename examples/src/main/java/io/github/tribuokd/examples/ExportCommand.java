package io.github.tribuokd.examples;

import ai.onnx.proto.OnnxMl;
import io.github.tribuokd.timeseries.WindowedSeriesModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code export --model DIR/model.tribuo --out MODEL.onnx}: writes the model as one ONNX graph that takes raw window
 * values and gives the score and the decision at the stored threshold (see {@code OnnxDetectorExport}), with the
 * model's provenance, feature order, threshold and the training series' variables in the metadata.
 */
@Command(name = "export", mixinStandardHelpOptions = false, sortOptions = false,
        description = {"Export a trained model to ONNX: input \"input\" [batch, window x variables] of raw values "
                + "(time-major: step 0's variables, then step 1's, ...), outputs \"score\" [batch, 1] and "
                + "\"anomalous\" [batch, 1] (score > the stored threshold). The metadata holds the provenance, the "
                + "feature order, the threshold, the window length and the variable (column) names."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model written by train.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path out;

    @Option(names = "--domain", defaultValue = "io.github.tribuokd", paramLabel = "NAME",
            description = "The ONNX model domain (default: ${DEFAULT-VALUE}).")
    String domain;

    @Option(names = "--model-version", defaultValue = "1", paramLabel = "N",
            description = "The ONNX model version (default: ${DEFAULT-VALUE}).")
    long modelVersion;

    @Override
    public Integer call() throws Exception {
        RunOutputs.checkFile(out, "--out");   // before any work
        WindowedSeriesModel trained = WindowedSeriesModel.load(model);
        OnnxMl.ModelProto proto = trained.exportOnnx(domain, modelVersion);
        RunOutputs.writeAtomically(out, file -> Files.write(file, proto.toByteArray()));
        System.out.printf("Exported %s (%d features = %d steps x %d variables, threshold %s) to %s%n",
                trained.model().getClass().getSimpleName(), trained.model().getFeatureIDMap().size(),
                trained.windowLength(), trained.variables().size(), trained.model().threshold(), out);
        return Main.EXIT_OK;
    }
}
