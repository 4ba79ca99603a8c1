package io.github.tribuokd.examples;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fuzzing harness shared by the {@code *FuzzTest} classes (docs/RELIABILITY.md, "Fuzzing").
 * <p>
 * Every fuzz test class has, per target, a Jazzer {@code @FuzzTest} method (coverage-guided fuzzing with
 * {@code JAZZER_FUZZ=1}; in a normal run it replays the seed corpus and the reproducers in
 * {@code src/test/resources/io/github/tribuokd/examples/<Class>Inputs/<method>/}) and a plain {@code @Test} that applies
 * random mutations (bit flips, byte changes, deletions, insertions of random bytes and of tokens such as
 * {@code NaN}, {@code 0x1p3} or a byte order mark, duplications, truncations, splices of two seeds, 32-bit integers
 * written over header fields) to the same seed corpus with a fixed seed, so the normal test run is deterministic.
 * <p>
 * System properties of the mutation tests: {@code fuzz.tries} (inputs per target; the default is the class's),
 * {@code fuzz.seconds} (stop after this many seconds, 0 = no time limit), {@code fuzz.seed} (default 23) and
 * {@code fuzz.timeout} (seconds one input may take before it counts as a hang, default 20) and {@code fuzz.keepGoing}
 * (true: go on after a finding and report every distinct one at the end).
 * <p>
 * The oracle: a target may return normally or throw one of its declared exceptions, whose causes may not signal a bug
 * ({@link #isDeclared}); anything else (a {@code NullPointerException}, {@code ArrayIndexOutOfBoundsException},
 * {@code OutOfMemoryError}, a hang, a failed invariant of an accepted file, ...) is a finding: the input is written to
 * {@code target/fuzz-findings/} and the test fails.
 */
final class FuzzSupport {

    /** A fuzz target: reads {@code data} as the file format under test. */
    @FunctionalInterface
    interface Target {
        void run(byte[] data) throws Exception;
    }

    /** The outcome of a run of mutated inputs. */
    static final class Stats {
        final String name;
        long executions;
        double seconds;
        final Map<String, Long> outcomes = new TreeMap<>();

        Stats(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return String.format("fuzz %s: %d executions in %.1f s (%.0f/s), outcomes %s", name, executions, seconds,
                    executions / Math.max(seconds, 1e-9), outcomes);
        }
    }

    private static final byte[][] TOKENS = bytes("NaN", "-Infinity", "inf", "1e39", "-1e39", "1e309", "1e-400",
            "0x1p3", "0X10", "\uFEFF", "\"", "\"\"", ",,", "\n\n", "\r\n", "\r", "-0", "+.5", "3.", "1e", "--1",
            "99999999999999999999", "3.4028236e38", "4.9e-324", "null", "NA", "true", "false", "#", "---", "\t", " ",
            "\u00ff\u00fe", "\u0000");
    private static final int[] INTERESTING_INTS = {0, 1, 2, 3, 4, 7, 8, 10, 16, 28, 255, 256, 1000, 60000, 65535,
        -1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x00000803, 0x00000801, 0x7fffff00};
    private static final int MAX_LENGTH = 1 << 20;

    private FuzzSupport() {
    }

    private static byte[][] bytes(String... s) {
        byte[][] b = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            b[i] = s[i].getBytes(StandardCharsets.UTF_8);
        }
        return b;
    }

    /**
     * Reads the committed seed corpus of a {@code @FuzzTest} method: the files of
     * {@code <package>/<Class>Inputs/<method>/} on the test class path, in name order.
     */
    static List<byte[]> seeds(Class<?> testClass, String method) throws IOException {
        String dir = testClass.getSimpleName() + "Inputs/" + method;
        URL url = testClass.getResource(dir);
        if (url == null) {
            throw new IOException("no seed corpus " + testClass.getPackageName().replace('.', '/') + "/" + dir
                    + " on the test class path");
        }
        Path path;
        try {
            path = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        if (seeds.isEmpty()) {
            throw new IOException("empty seed corpus " + path);
        }
        return seeds;
    }

    /** Exceptions that signal a bug wherever they appear in a cause chain, even wrapped in a declared one. */
    private static final List<Class<? extends Throwable>> BUGS = List.of(NullPointerException.class,
            IndexOutOfBoundsException.class, NegativeArraySizeException.class, ClassCastException.class,
            ArithmeticException.class, ArrayStoreException.class, UnsupportedOperationException.class,
            java.util.ConcurrentModificationException.class, IllegalMonitorStateException.class, Error.class);

    /**
     * Whether {@code t} is an allowed outcome: an instance of one of {@code declared}, with no cause in its chain that
     * signals a bug ({@link #BUGS}: a {@code NullPointerException}, an index out of bounds, any {@link Error}, ...).
     * Causes of other types are allowed (Tribuo wraps what a {@code deserializeFromProto} throws in an
     * {@code IllegalStateException}; OLCUT reports provenance it cannot rebuild as a {@code ProvenanceException}).
     */
    @SafeVarargs
    static boolean isDeclared(Throwable t, Class<? extends Throwable>... declared) {
        boolean ok = false;
        for (Class<? extends Throwable> d : declared) {
            ok |= d.isInstance(t);
        }
        int depth = 0;
        for (Throwable c = t; ok && c != null && depth < 50; c = c.getCause(), depth++) {
            for (Class<? extends Throwable> bug : BUGS) {
                ok &= !bug.isInstance(c);
            }
        }
        return ok;
    }

    /**
     * Runs one input as Jazzer does: declared exceptions are swallowed, anything else is rethrown (a finding).
     */
    @SafeVarargs
    static void check(byte[] data, Target target, Class<? extends Throwable>... declared) throws Throwable {
        check(data, List.of(), target, declared);
    }

    /** Whether a signature starts with a match of one of the regular expressions {@code known}. */
    static boolean isKnown(String signature, List<String> known) {
        return known.stream().anyMatch(k -> java.util.regex.Pattern.compile(k).matcher(signature).lookingAt());
    }

    /** As {@link #check(byte[], Target, Class[])}, also swallowing the known findings (signature regexes). */
    @SafeVarargs
    static void check(byte[] data, List<String> known, Target target, Class<? extends Throwable>... declared)
            throws Throwable {
        try {
            target.run(data);
        } catch (Throwable t) {
            if (!isDeclared(t, declared) && !isKnown(signature(t), known)) {
                throw t;
            }
        }
    }

    /**
     * Runs every seed unmutated (each must be accepted: the corpus is of valid files) and then mutated inputs, as
     * the system properties say; fails on the first finding.
     */
    @SafeVarargs
    static Stats mutate(String name, List<byte[]> seeds, int defaultTries, Target target,
                        Class<? extends Throwable>... declared) throws Exception {
        return mutate(name, seeds, defaultTries, List.of(), target, declared);
    }

    /**
     * As {@link #mutate(String, List, int, Target, Class[])}, counting undeclared exceptions whose
     * {@linkplain #signature(Throwable) signature} starts with a match of one of the regular expressions {@code known}
     * as "known finding" instead of
     * failing: findings recorded in docs/RELIABILITY.md and owned elsewhere, so that the run still fails on any new one.
     */
    @SafeVarargs
    static Stats mutate(String name, List<byte[]> seeds, int defaultTries, List<String> known, Target target,
                        Class<? extends Throwable>... declared) throws Exception {
        int tries = Integer.getInteger("fuzz.tries", defaultTries);
        long seconds = Long.getLong("fuzz.seconds", 0L);
        long seed = Long.getLong("fuzz.seed", 23L);
        long timeout = Long.getLong("fuzz.timeout", 20L);
        boolean keepGoing = Boolean.getBoolean("fuzz.keepGoing");
        Map<String, AssertionError> findings = new TreeMap<>();
        Stats stats = new Stats(name);
        SplittableRandom rng = new SplittableRandom(seed ^ name.hashCode());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        long deadline = seconds > 0 ? start + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
        try {
            for (int i = 0; i < seeds.size(); i++) {
                Throwable t = runOne(worker, target, seeds.get(i), timeout);
                if (t != null) {
                    throw new AssertionError(name + ": seed " + i + " of the corpus is refused", t);
                }
            }
            for (long n = 0; n < tries && System.nanoTime() < deadline; n++) {
                byte[] input = mutate(seeds, rng);
                Throwable t = runOne(worker, target, input, timeout);
                stats.executions++;
                if (t instanceof TimeoutException) {
                    fail(name + ": input " + save(name, input) + " ran longer than " + timeout + " s (hang)");
                }
                if (t == null || isDeclared(t, declared)) {
                    stats.outcomes.merge(t == null ? "ok" : t.getClass().getSimpleName(), 1L, Long::sum);
                } else {
                    String signature = signature(t);
                    if (isKnown(signature, known)) {
                        stats.outcomes.merge("known finding", 1L, Long::sum);
                        continue;
                    }
                    if (findings.containsKey(signature)) {
                        stats.outcomes.merge("finding seen before", 1L, Long::sum);
                        continue;
                    }
                    AssertionError finding = new AssertionError(name + ": input " + save(name, input)
                            + " threw an undeclared " + t.getClass().getName() + " (declared: "
                            + Arrays.toString(declared) + "); signature " + signature, t);
                    if (!keepGoing) {
                        throw finding;
                    }
                    findings.put(signature, finding);
                    System.out.println("fuzz " + name + " finding: " + finding.getMessage());
                }
            }
        } finally {
            worker.shutdownNow();
            stats.seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(stats);
        }
        if (!findings.isEmpty()) {
            AssertionError all = new AssertionError(name + ": " + findings.size() + " distinct findings: "
                    + findings.keySet());
            findings.values().forEach(all::addSuppressed);
            throw all;
        }
        return stats;
    }

    /**
     * The signature of a finding: the innermost cause's class and its first two stack frames outside the JDK, e.g.
     * {@code java.lang.NullPointerException at a.B.c(B.java:12) < a.B.d(B.java:40)}; wrappers are left out, so that
     * one bug reached through different reflective accessors has one signature.
     */
    static String signature(Throwable t) {
        Throwable root = t;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 50; depth++) {
            root = root.getCause();
        }
        StringBuilder sb = new StringBuilder(root.getClass().getName());
        int frames = 0;
        for (StackTraceElement e : root.getStackTrace()) {
            if (frames == 2) {
                break;
            }
            if (e.getClassName().startsWith("java.") || e.getClassName().startsWith("jdk.")) {
                continue; // the JDK's own checks (Objects.checkIndex, ...): the caller is the culprit
            }
            sb.append(frames++ == 0 ? " at " : " < ").append(e);
        }
        return sb.toString();
    }

    private static Throwable runOne(ExecutorService worker, Target target, byte[] input, long timeout)
            throws InterruptedException {
        Future<?> f = worker.submit(() -> {
            target.run(input);
            return null;
        });
        try {
            f.get(timeout, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            return e;
        }
    }

    private static Path save(String name, byte[] input) {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input));
            Path dir = Path.of("target", "fuzz-findings");
            Files.createDirectories(dir);
            Path f = dir.resolve(name + "-" + sha);
            Files.write(f, input);
            return f.toAbsolutePath();
        } catch (IOException | NoSuchAlgorithmException e) {
            return Path.of("(could not save: " + e + ")");
        }
    }

    /** One mutated input: a seed with 1 to 8 random edits. */
    static byte[] mutate(List<byte[]> seeds, SplittableRandom rng) {
        byte[] b = seeds.get(rng.nextInt(seeds.size())).clone();
        int edits = 1 + (rng.nextInt(4) == 0 ? rng.nextInt(8) : rng.nextInt(2));
        for (int e = 0; e < edits; e++) {
            b = edit(b, seeds, rng);
        }
        return b.length > MAX_LENGTH ? Arrays.copyOf(b, MAX_LENGTH) : b;
    }

    private static byte[] edit(byte[] b, List<byte[]> seeds, SplittableRandom rng) {
        int n = b.length;
        int pos = n == 0 ? 0 : rng.nextInt(n);
        switch (rng.nextInt(11)) {
            case 0: // flip a bit
                if (n > 0) {
                    b[pos] ^= (byte) (1 << rng.nextInt(8));
                }
                return b;
            case 1: // a random byte
                if (n > 0) {
                    b[pos] = (byte) rng.nextInt(256);
                }
                return b;
            case 2: { // an interesting byte
                byte[] pick = {0, 0x7f, (byte) 0x80, (byte) 0xff, '\n', '\r', ',', ' ', '\t', '"', '-', '+', '.', 'e',
                    'E', '0', '1', '9', 'x', '#', (byte) 0xef};
                if (n > 0) {
                    b[pos] = pick[rng.nextInt(pick.length)];
                }
                return b;
            }
            case 3: { // delete a range
                if (n == 0) {
                    return b;
                }
                int len = 1 + rng.nextInt(Math.min(n - pos, 1 + (rng.nextBoolean() ? 4 : 64)));
                return concat(Arrays.copyOfRange(b, 0, pos), Arrays.copyOfRange(b, pos + len, n));
            }
            case 4: { // insert random bytes
                byte[] ins = new byte[1 + rng.nextInt(8)];
                for (int i = 0; i < ins.length; i++) {
                    ins[i] = (byte) rng.nextInt(256);
                }
                return insert(b, rng.nextInt(n + 1), ins);
            }
            case 5: // insert a token
                return insert(b, rng.nextInt(n + 1), TOKENS[rng.nextInt(TOKENS.length)]);
            case 6: { // duplicate a range elsewhere
                if (n == 0) {
                    return b;
                }
                int len = 1 + rng.nextInt(Math.min(n - pos, 256));
                return insert(b, rng.nextInt(n + 1), Arrays.copyOfRange(b, pos, pos + len));
            }
            case 7: // truncate
                return Arrays.copyOf(b, pos);
            case 8: { // splice with another seed
                byte[] other = seeds.get(rng.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : rng.nextInt(other.length);
                return concat(Arrays.copyOf(b, pos), Arrays.copyOfRange(other, from, other.length));
            }
            case 9: { // overwrite a big-endian 32-bit integer (IDX headers, lengths)
                if (n < 4) {
                    return b;
                }
                int at = rng.nextInt(n - 3);
                int v = INTERESTING_INTS[rng.nextInt(INTERESTING_INTS.length)];
                b[at] = (byte) (v >>> 24);
                b[at + 1] = (byte) (v >>> 16);
                b[at + 2] = (byte) (v >>> 8);
                b[at + 3] = (byte) v;
                return b;
            }
            default: { // a run of 0xff (protobuf varints, lengths)
                if (n == 0) {
                    return b;
                }
                int len = 1 + rng.nextInt(Math.min(n - pos, 10));
                Arrays.fill(b, pos, pos + len, (byte) 0xff);
                return b;
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] ins) {
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }

    /** Reads a class path resource fully. */
    static byte[] resource(Class<?> c, String name) throws IOException {
        try (InputStream in = c.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
