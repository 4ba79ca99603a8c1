package io.github.tribuokd.examples;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line option parsing shared by the commands: options come in {@code --name value} pairs.
 */
final class Options {

    private Options() { }

    /**
     * Parses {@code --name value} pairs.
     * @param args The arguments after the command name.
     * @return The options in order.
     * @throws Main.UsageException If an option has no value or a value has no name.
     */
    static Map<String, String> parse(String[] args) throws Main.UsageException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new Main.UsageException("Options come in pairs (--name value); problem at '" + args[i] + "'");
            }
            o.put(args[i], args[i + 1]);
        }
        return o;
    }

    /**
     * The required {@code --data DIR} option of the seed commands.
     * @param o The options.
     * @return The folder.
     * @throws Main.UsageException If it is missing.
     */
    static Path dataDir(Map<String, String> o) throws Main.UsageException {
        if (!o.containsKey("--data")) {
            throw new Main.UsageException("--data DIR is required");
        }
        return Path.of(o.get("--data"));
    }

    /**
     * An integer option.
     * @param o The options.
     * @param key The option name.
     * @param dflt The default.
     * @return The value.
     * @throws Main.UsageException If the value is not an integer.
     */
    static int intOpt(Map<String, String> o, String key, int dflt) throws Main.UsageException {
        try {
            return o.containsKey(key) ? Integer.parseInt(o.get(key)) : dflt;
        } catch (NumberFormatException e) {
            throw new Main.UsageException(key + " needs an integer, found '" + o.get(key) + "'");
        }
    }

    /**
     * A list of integers such as {@code 0-9} or {@code 1,4,7} (ranges inclusive), each in {@code [min, max]}.
     * @param value The text.
     * @param key The option name, for messages.
     * @param min The smallest allowed value.
     * @param max The largest allowed value.
     * @return The values in the given order.
     * @throws Main.UsageException If the text is malformed or a value is out of range.
     */
    static int[] intList(String value, String key, int min, int max) throws Main.UsageException {
        List<Integer> list = new ArrayList<>();
        try {
            for (String part : value.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                for (int v = from; v <= to; v++) {
                    list.add(v);
                }
            }
        } catch (NumberFormatException e) {
            throw new Main.UsageException(key + " takes numbers and ranges such as 0-9 or 1,4,7, found '" + value + "'");
        }
        if (list.isEmpty()) {
            throw new Main.UsageException(key + " is empty");
        }
        for (int v : list) {
            if (v < min || v > max) {
                throw new Main.UsageException(key + " values must be in " + min + ".." + max + ", found " + v);
            }
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
