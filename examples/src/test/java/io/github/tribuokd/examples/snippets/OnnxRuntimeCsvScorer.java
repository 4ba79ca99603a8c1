package io.github.tribuokd.examples.snippets;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Scores a CSV with a model exported by {@code tribuo-kd export}, using ONNX Runtime only (no Tribuo, no tribuo-kd):
 * the snippet of docs/DEPLOYMENT.md, run by {@code CommandsTest}. Everything it needs is in the ONNX file's
 * metadata: the window length and the column names. Plain CSV only (no quoted fields), like the docs' example.
 * <p>
 * Usage: {@code java OnnxRuntimeCsvScorer model.onnx data.csv} prints {@code row,score,anomalous}.
 */
public final class OnnxRuntimeCsvScorer {

    private OnnxRuntimeCsvScorer() { }

    /**
     * Scores every row: row t gets the window ending at t; the first L - 1 rows get the first window's result.
     * @param onnxFile The exported model.
     * @param csv The CSV with a header row holding (at least) the model's columns.
     * @return One line per row, {@code row,score,anomalous}.
     * @throws IOException If the CSV cannot be read.
     * @throws OrtException If ONNX Runtime fails.
     */
    public static String[] score(Path onnxFile, Path csv) throws IOException, OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnxFile.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            int window = Integer.parseInt(meta.get("tribuo-kd.window-length"));
            String[] variables = meta.get("tribuo-kd.variables").split(",");

            List<String> lines = Files.readAllLines(csv);
            List<String> header = Arrays.asList(lines.get(0).split(",", -1));
            int[] columns = new int[variables.length];
            for (int v = 0; v < variables.length; v++) {
                columns[v] = header.indexOf(variables[v]);
                if (columns[v] < 0) {
                    throw new IOException(csv + ": no column '" + variables[v] + "'");
                }
            }
            int n = lines.size() - 1;
            float[][] values = new float[n][variables.length];
            for (int t = 0; t < n; t++) {
                String[] cells = lines.get(t + 1).split(",", -1);
                for (int v = 0; v < variables.length; v++) {
                    values[t][v] = Float.parseFloat(cells[columns[v]]);
                }
            }
            // Window ending at row t = rows t-L+1 .. t, flattened time-major (step 0's variables first).
            int numWindows = n - window + 1;
            float[][] windows = new float[numWindows][window * variables.length];
            for (int w = 0; w < numWindows; w++) {
                for (int s = 0; s < window; s++) {
                    System.arraycopy(values[w + s], 0, windows[w], s * variables.length, variables.length);
                }
            }
            try (OnnxTensor input = OnnxTensor.createTensor(env, windows);
                 OrtSession.Result result = session.run(Map.of("input", input))) {
                float[][] score = (float[][]) result.get("score").get().getValue();
                boolean[][] anomalous = (boolean[][]) result.get("anomalous").get().getValue();
                String[] out = new String[n];
                for (int t = 0; t < n; t++) {
                    int w = Math.max(0, t - window + 1);
                    out[t] = t + "," + score[w][0] + "," + (anomalous[w][0] ? 1 : 0);
                }
                return out;
            }
        }
    }

    /**
     * Prints the scores of a CSV.
     * @param args The ONNX file and the CSV.
     * @throws Exception If anything fails.
     */
    public static void main(String[] args) throws Exception {
        System.out.println("row,score,anomalous");
        for (String line : score(Path.of(args[0]), Path.of(args[1]))) {
            System.out.println(line);
        }
    }
}
