package io.github.tribuokd.examples;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar tribuo-kd.jar <command> [options]}: dispatches to the subcommands.
 */
public final class Main {

    /** A subcommand of the examples jar. */
    interface Command {
        /** One line for the command list. */
        String summary();

        /** Full usage text. */
        String usage();

        /** Runs the command; returns the process exit code. */
        int run(String[] args) throws Exception;
    }

    static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    /** Exit code of a run that went well. */
    static final int EXIT_OK = 0;
    /** Exit code of bad input: a missing, corrupt or inconsistent file or value. */
    static final int EXIT_BAD_INPUT = 1;
    /** Exit code of a command-line mistake. */
    static final int EXIT_USAGE = 2;

    static {
        COMMANDS.put("train", new PicocliCommand(TrainCommand::new,
                "train a detector on your own CSV series (writes model.tribuo, a report and plots)"));
        COMMANDS.put("score", new PicocliCommand(ScoreCommand::new,
                "score a CSV series with a trained model (one line per row; metrics when labelled)"));
        COMMANDS.put("export", new PicocliCommand(ExportCommand::new,
                "export a trained model to ONNX (raw values in, score and decision out)"));
        COMMANDS.put("privileged", new PicocliCommand(PrivilegedCommand::new,
                "seed 003: generalized distillation with privileged information on Mackey-Glass"));
        COMMANDS.put("privileged-sensors", new PicocliCommand(PrivilegedSensorsCommand::new,
                "seed 003, future work: a student on fewer sensors than its teacher (SMD-layout machines)"));
        COMMANDS.put("demo", new DemoCommand());
        COMMANDS.put("evaluate", new EvaluateCommand());
        COMMANDS.put("smd-lstm", new SmdLstmCommand());
        COMMANDS.put("image-kd", new ImageKdCommand());
        COMMANDS.put("mscred", new MscredCommand());
        COMMANDS.put("soft-kd", new PicocliCommand(SoftKdCommand::new,
                "seed 003 (Hinton et al.) on MNIST: teacher, student alone and distilled, omitted-3 run"));
    }

    private Main() { }

    /**
     * Entry point.
     * @param args The command and its options.
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            if (args.length > 1 && COMMANDS.containsKey(args[1])) {
                System.out.println(COMMANDS.get(args[1]).usage());
            } else {
                System.out.println(usage());
            }
            return 0;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            System.err.println("Unknown command '" + args[0] + "'.\n\n" + usage());
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
            System.out.println(command.usage());
            return 0;
        }
        try {
            return command.run(rest);
        } catch (UsageException e) {
            System.err.println("Error: " + e.getMessage() + "\n\n" + command.usage());
            return 2;
        } catch (Exception e) {
            System.err.println("Error: " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("tribuo-kd: knowledge-distillation anomaly detectors for Tribuo\n\n");
        sb.append("Usage: java -jar examples/target/tribuo-kd.jar <command> [options]\n\nCommands:\n");
        for (Map.Entry<String, Command> e : COMMANDS.entrySet()) {
            sb.append(String.format("  %-10s %s%n", e.getKey(), e.getValue().summary()));
        }
        sb.append("\nRun 'java -jar examples/target/tribuo-kd.jar <command> --help' for a command's options.");
        sb.append("\nMatrix kernels in this JVM: ").append(io.github.tribuokd.nn.kernels.Kernels.get().name())
                .append(io.github.tribuokd.nn.kernels.Kernels.vectorApiAvailable() ? ""
                        : " (add --add-modules jdk.incubator.vector, or use examples/tribuo-kd, for SIMD kernels)");
        return sb.toString();
    }

    /** A command-line mistake: reported with the command's usage and exit code 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
