package io.github.tribuokd.examples;

import io.github.tribuokd.anomaly.TrainingWarnings;
import io.github.tribuokd.evaluation.Json;
import org.tribuo.Model;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Where a command writes its results, handled so that a run never loses finished work (docs/RELIABILITY.md, "Runs
 * and degenerate training"):
 * <ul>
 *   <li>the output folder (or file) is checked <em>before</em> any work starts: a folder option naming an existing
 *       file, or a file option naming a folder, is a usage error (exit 2); a folder that cannot be created or
 *       written is bad input (exit 1);</li>
 *   <li>every file is written to a temporary file beside it and moved into place, so that a failure leaves either
 *       the previous file or none, never a partial or 0-byte one;</li>
 *   <li>models and the report are written before the plots; a plot that cannot be drawn is skipped with a warning
 *       on the terminal and in the report ({@link #plot}), and the run still succeeds;</li>
 *   <li>warnings (training warnings of the models, {@link TrainingWarnings}, and skipped or clipped plots) are
 *       printed when they arise and listed in the report under {@code "warnings"}.</li>
 * </ul>
 * One instance per output folder and run.
 */
final class RunOutputs {

    /** Writes one output to a (temporary) file. */
    interface FileWriter {
        /**
         * Writes the content.
         * @param file The file to write.
         * @throws Exception If it cannot be written.
         */
        void write(Path file) throws Exception;
    }

    /** Draws one plot to a (temporary) file. */
    interface Drawing {
        /**
         * Draws the plot.
         * @param png The file to write.
         * @return A note on what the plot left out or clipped, empty when nothing ({@link ReportPlots}).
         * @throws Exception If it cannot be drawn.
         */
        String draw(Path png) throws Exception;
    }

    private final Path dir;
    private final Consumer<String> terminal;
    private final List<String> warnings = new ArrayList<>();
    private Map<String, Object> reportJson;
    private String reportMarkdown;
    private int warningsInReport = -1;

    private RunOutputs(Path dir, Consumer<String> terminal) {
        this.dir = dir;
        this.terminal = terminal;
    }

    /**
     * Checks and creates an output folder before any work starts.
     * @param dir The folder (created with its parents when missing).
     * @param option The option that named it, for messages (e.g. {@code "--out"}).
     * @param terminal Where warnings are printed as they arise (e.g. the command's progress line on stderr).
     * @return The outputs of a run into {@code dir}.
     * @throws Main.UsageException If {@code dir} or one of its parents is an existing file.
     * @throws IllegalArgumentException If the folder cannot be created or written.
     */
    static RunOutputs directory(Path dir, String option, Consumer<String> terminal) throws Main.UsageException {
        checkDirectory(dir, option);
        return new RunOutputs(dir, terminal);
    }

    /**
     * Checks that a folder can be created and written: the check of {@link #directory}, for folders a command
     * fills itself (one per entity, say).
     * @param dir The folder (created with its parents when missing).
     * @param option The option that named it, for messages.
     * @throws Main.UsageException If {@code dir} or one of its parents is an existing file.
     * @throws IllegalArgumentException If the folder cannot be created or written.
     */
    static void checkDirectory(Path dir, String option) throws Main.UsageException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Main.UsageException(option + " " + dir + " is an existing file; give a folder (it is created "
                    + "when missing)");
        }
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new Main.UsageException(option + " " + dir + " cannot be created: " + p
                            + " is an existing file");
                }
                break;
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new Main.UsageException(option + " " + dir + " cannot be created: " + e.getFile()
                    + " is an existing file");
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot create " + option + " folder " + dir + ": " + e);
        }
        checkWritable(dir, option + " folder " + dir);
    }

    /**
     * Checks, before any work starts, that an output file can be written: it is not a folder, and its folder can be
     * created and written. The file itself is not created.
     * @param file The file.
     * @param option The option that named it, for messages.
     * @throws Main.UsageException If {@code file} is an existing folder or a parent is an existing file.
     * @throws IllegalArgumentException If its folder cannot be created or written.
     */
    static void checkFile(Path file, String option) throws Main.UsageException {
        if (Files.isDirectory(file)) {
            throw new Main.UsageException(option + " " + file + " is an existing folder; give a file name");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            checkDirectory(parent, "The folder of " + option);
        }
    }

    private static void checkWritable(Path dir, String what) {
        try {
            Path probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("Cannot write to " + what + ": " + e);
        }
    }

    /**
     * Writes a file through a temporary file in the same folder, moved into place when complete (atomically where
     * the file system can), so that a failure never leaves a partial or 0-byte file at {@code target}.
     * @param target The file to write.
     * @param writer Writes the content to the temporary file it is given.
     * @throws IOException If the content cannot be written or moved (the temporary file is removed).
     */
    static void writeAtomically(Path target, FileWriter writer) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // The temporary name keeps the target's name at its end, so writers that look at the extension work. The
        // writer creates the file, so it gets the usual permissions (a createTempFile would be owner-only).
        Path tmp;
        do {
            long random = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            tmp = parent.resolve(".tmp-" + Long.toHexString(random) + "-" + target.getFileName());
        } while (Files.exists(tmp, LinkOption.NOFOLLOW_LINKS));
        boolean moved = false;
        try {
            writer.write(tmp);
            if (!Files.exists(tmp) || Files.size(tmp) == 0) {
                throw new IOException("nothing was written to " + target.getFileName());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * The output folder.
     * @return The folder.
     */
    Path dir() {
        return dir;
    }

    /**
     * A file in the output folder.
     * @param name The file name.
     * @return The path.
     */
    Path resolve(String name) {
        return dir.resolve(name);
    }

    /**
     * Writes a file of the output folder through a temporary file ({@link #writeAtomically}).
     * @param name The file name.
     * @param writer Writes the content.
     * @throws IOException If it cannot be written.
     */
    void write(String name, FileWriter writer) throws IOException {
        writeAtomically(dir.resolve(name), writer);
    }

    /**
     * Writes a text file of the output folder through a temporary file.
     * @param name The file name.
     * @param text The text (UTF-8).
     * @throws IOException If it cannot be written.
     */
    void writeString(String name, String text) throws IOException {
        write(name, f -> Files.writeString(f, text));
    }

    /**
     * Writes a model's protobuf file through a temporary file.
     * @param name The file name.
     * @param model The model.
     * @throws IOException If it cannot be written.
     */
    void writeModel(String name, Model<?> model) throws IOException {
        write(name, model::serializeToFile);
    }

    /**
     * Records a warning and prints it on the terminal now.
     * @param message The warning.
     */
    void warn(String message) {
        warnings.add(message);
        terminal.accept("warning: " + message);
    }

    /**
     * Records the training warnings of a model ({@link TrainingWarnings}), each prefixed with the model's role.
     * @param role The model's role, e.g. "teacher".
     * @param model The model.
     */
    void trainingWarnings(String role, Model<?> model) {
        for (String w : TrainingWarnings.of(model)) {
            warn(role + ": " + w);
        }
    }

    /**
     * The warnings so far, in order.
     * @return An unmodifiable copy.
     */
    List<String> warnings() {
        return Collections.unmodifiableList(new ArrayList<>(warnings));
    }

    /**
     * Writes {@code report.json} (with a {@code "warnings"} list: every warning so far) and {@code report.md} (with a
     * "Warnings" section when there are any), and remembers them: {@link #finish} writes them again if warnings
     * arise later (from plots).
     * @param json The report; not modified.
     * @param markdown The Markdown report.
     * @return The Markdown as written (with the warnings section).
     * @throws IOException If they cannot be written.
     */
    String writeReport(Map<String, Object> json, String markdown) throws IOException {
        this.reportJson = new LinkedHashMap<>(json);
        this.reportMarkdown = markdown;
        return rewriteReport();
    }

    private String rewriteReport() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>(reportJson);
        json.put("warnings", new ArrayList<Object>(warnings));
        String md = markdownWithWarnings(reportMarkdown);
        writeString("report.json", Json.write(json) + "\n");
        writeString("report.md", md + "\n");
        warningsInReport = warnings.size();
        return md;
    }

    /**
     * Markdown with a "Warnings" section listing every warning so far (unchanged when there are none).
     * @param markdown The Markdown.
     * @return The Markdown with the section.
     */
    String markdownWithWarnings(String markdown) {
        if (warnings.isEmpty()) {
            return markdown;
        }
        StringBuilder sb = new StringBuilder(markdown.stripTrailing()).append("\n\n## Warnings\n\n");
        for (String w : warnings) {
            sb.append("- ").append(w.replace('\n', ' ')).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /**
     * Draws a plot into the output folder through a temporary file. A plot that cannot be drawn is skipped: the
     * temporary file is removed, a warning is recorded and printed, and the run goes on. A plot that left scores out
     * or clipped them is kept, with a warning saying so.
     * @param name The file name.
     * @param drawing Draws the plot to the file it is given.
     * @return Whether the plot was written.
     */
    boolean plot(String name, Drawing drawing) {
        String[] note = {""};
        try {
            write(name, f -> note[0] = drawing.draw(f));
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            Throwable cause = e instanceof IOException && e.getCause() != null ? e.getCause() : e;
            warn("plot " + name + " skipped: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            return false;
        }
        if (note[0] != null && !note[0].isEmpty()) {
            warn("plot " + name + ": " + note[0]);
        }
        return true;
    }

    /**
     * Writes the report again when warnings arose after {@link #writeReport} (a skipped or clipped plot), so that
     * the report lists every warning of the run.
     * @return The Markdown report as last written, or null when no report was written.
     * @throws IOException If it cannot be written.
     */
    String finish() throws IOException {
        if (reportJson == null) {
            return null;
        }
        return warnings.size() != warningsInReport ? rewriteReport() : markdownWithWarnings(reportMarkdown);
    }
}
