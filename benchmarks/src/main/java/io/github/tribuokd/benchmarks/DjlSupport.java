package io.github.tribuokd.benchmarks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Offline set-up of libtorch 2.7.1 through DJL, and a check that it took effect.
 * <p>
 * What has to hold for DJL to run with no network and to use the libtorch of the {@code pytorch-native-cpu} jar:
 * <ul>
 *     <li>{@code ai.djl.offline=true}: DJL never tries a download (it fails instead of hanging).</li>
 *     <li>{@code pytorch-native-cpu-2.7.1-linux-x86_64.jar} on the class path: DJL then unpacks
 *     {@code libtorch*.so} from it into its cache directory ({@code DJL_CACHE_DIR}, set here to
 *     {@code benchmarks/target/djl-cache}) and {@code pytorch-jni-2.7.1-0.35.1.jar} provides the matching
 *     {@code libdjl_torch.so}.</li>
 *     <li><b>No {@code libtorch.so} on {@code java.library.path} and no {@code PYTORCH_LIBRARY_PATH}</b>: DJL looks
 *     there first. Debian's {@code python3-torch} installs {@code /usr/lib/x86_64-linux-gnu/libtorch.so} (1.13), and
 *     that directory is on the JVM's default {@code java.library.path}, so without an override DJL would load
 *     libtorch 1.13 under a 2.7.1 JNI library. The runner therefore starts every JVM with
 *     {@code -Djava.library.path=} pointing at an empty directory; {@link #configure} refuses to go on otherwise.</li>
 *     <li>Threads: {@code ai.djl.pytorch.num_threads} (intra-op) and {@code ai.djl.pytorch.num_interop_threads} are
 *     read once, when the engine starts, so each thread setting runs in its own JVM; {@link #engineInfo} reads them
 *     back from libtorch, and the CPU/wall column of the results shows how many cores were actually busy.</li>
 * </ul>
 */
final class DjlSupport {

    private DjlSupport() { }

    /**
     * Sets DJL's system properties; call before any DJL class is used.
     * @param intraOpThreads libtorch intra-op threads.
     */
    static void configure(int intraOpThreads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.default_engine", "PyTorch");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOpThreads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        // Disable DJL's usage reporting and any model-zoo look-up.
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null) {
            System.setProperty("DJL_CACHE_DIR", BenchMain.targetDir().resolve("djl-cache").toString());
        }
        if (System.getenv("PYTORCH_LIBRARY_PATH") != null) {
            throw new IllegalStateException("PYTORCH_LIBRARY_PATH is set (" + System.getenv("PYTORCH_LIBRARY_PATH")
                    + "): DJL would load that libtorch instead of the 2.7.1 of the classpath jar. Unset it.");
        }
        String libPath = System.getProperty("java.library.path", "");
        for (String dir : libPath.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.exists(Paths.get(dir, "libtorch.so"))) {
                throw new IllegalStateException("java.library.path contains " + Paths.get(dir, "libtorch.so")
                        + " (Debian's python3-torch): DJL would load it instead of libtorch 2.7.1 from the jar. Start"
                        + " the JVM with -Djava.library.path=<a directory without libtorch>, as run.sh does.");
            }
        }
    }

    /**
     * Starts the engine and reports what it loaded.
     * @param expectedThreads The intra-op thread count asked for.
     * @return The engine's version, library path and thread settings.
     */
    static Map<String, Object> engineInfo(int expectedThreads) {
        Engine engine = Engine.getEngine("PyTorch");
        Map<String, Object> m = Bench.result();
        m.put("djl_engine", engine.getEngineName());
        m.put("djl_version", Engine.getDjlVersion());
        m.put("libtorch_version", engine.getVersion());
        String path = LibUtils.getLibtorchPath();
        m.put("libtorch_path", path);
        m.put("intra_op_threads", JniUtils.getNumThreads());
        m.put("inter_op_threads", JniUtils.getNumInteropThreads());
        Path cache = Paths.get(System.getProperty("DJL_CACHE_DIR"));
        if (!Paths.get(path).toAbsolutePath().startsWith(cache.toAbsolutePath())) {
            throw new IllegalStateException("libtorch was loaded from " + path + ", not from the DJL cache " + cache
                    + " unpacked from the pytorch-native-cpu jar");
        }
        if (JniUtils.getNumThreads() != expectedThreads) {
            throw new IllegalStateException("libtorch runs " + JniUtils.getNumThreads() + " intra-op threads, not "
                    + expectedThreads + ": ai.djl.pytorch.num_threads did not take effect");
        }
        Bench.log("DJL %s, libtorch %s from %s, intra-op threads %d, inter-op threads %d", Engine.getDjlVersion(),
                engine.getVersion(), path, JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
        return m;
    }
}
