package io.github.tribuokd.nn.kernels;

import java.util.logging.Logger;

/**
 * Chooses the engine's {@link MatrixKernels} once, at class initialisation: the Vector API implementation when
 * the {@code jdk.incubator.vector} module is present in the running JVM ({@code --add-modules
 * jdk.incubator.vector}), otherwise the plain-Java blocked one. The system property
 * {@code tribuokd.kernels=plain} forces the plain implementation (for comparisons).
 */
public final class Kernels {

    private static final Logger logger = Logger.getLogger(Kernels.class.getName());

    private static final MatrixKernels DEFAULT = choose();

    private Kernels() { }

    /**
     * The kernels the engine uses.
     * @return The chosen implementation.
     */
    public static MatrixKernels get() {
        return DEFAULT;
    }

    /**
     * Whether the Vector API implementation can be used in this JVM.
     * @return True when {@code jdk.incubator.vector} is present.
     */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The Vector API implementation, if this JVM has the module.
     * @return The implementation.
     * @throws IllegalStateException If the module is absent.
     */
    public static MatrixKernels vectorApi() {
        if (!vectorApiAvailable()) {
            throw new IllegalStateException("jdk.incubator.vector is not present: run with --add-modules "
                    + "jdk.incubator.vector");
        }
        return VectorHolder.INSTANCE;
    }

    /**
     * The plain-Java implementation.
     * @return The implementation.
     */
    public static MatrixKernels plainJava() {
        return BlockedMatrixKernels.INSTANCE;
    }

    private static MatrixKernels choose() {
        String forced = System.getProperty("tribuokd.kernels", "");
        if (forced.equalsIgnoreCase("plain") || !vectorApiAvailable()) {
            if (!forced.equalsIgnoreCase("plain")) {
                logger.info("jdk.incubator.vector is not present; using plain-Java kernels. Run with "
                        + "--add-modules jdk.incubator.vector for SIMD kernels.");
            }
            return BlockedMatrixKernels.INSTANCE;
        }
        return VectorHolder.INSTANCE;
    }

    /** Holds the Vector API kernels in a class of its own, loaded only when the module is present. */
    private static final class VectorHolder {
        static final MatrixKernels INSTANCE = VectorMatrixKernels.INSTANCE;
    }
}
