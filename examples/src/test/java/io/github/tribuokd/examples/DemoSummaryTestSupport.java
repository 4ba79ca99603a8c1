package io.github.tribuokd.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the two numbers the summary test needs from an entity's report.json, without a JSON library. */
final class DemoSummaryTestSupport {

    private DemoSummaryTestSupport() { }

    static Map<String, Object> readReport(Path file) throws Exception {
        String json = Files.readString(file);
        Map<String, Object> report = new LinkedHashMap<>();
        for (String model : new String[]{"teacher", "student"}) {
            Matcher m = Pattern.compile("\"" + model + "\": \\{[^{]*?\"roc_auc\": ([-0-9.eE]+)").matcher(json);
            if (!m.find()) {
                throw new AssertionError("no " + model + ".roc_auc in " + file);
            }
            Map<String, Object> inner = new LinkedHashMap<>();
            inner.put("roc_auc", Double.parseDouble(m.group(1)));
            report.put(model, inner);
        }
        return report;
    }
}
