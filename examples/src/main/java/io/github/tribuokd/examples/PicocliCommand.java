package io.github.tribuokd.examples;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Adapts a picocli command object to {@link Main.Command}: picocli parses the options and prints {@code --help};
 * the exit code is 0 on success, 2 for a command-line mistake (with the usage) and 1 for bad input (a one-line
 * {@code Error: ...} naming the file, line and column where the exception gives them).
 */
final class PicocliCommand implements Main.Command {

    private final Supplier<? extends Callable<Integer>> factory;
    private final String summary;

    /**
     * @param factory Makes a fresh command object per run (picocli fills its annotated fields).
     * @param summary One line for the command list.
     */
    PicocliCommand(Supplier<? extends Callable<Integer>> factory, String summary) {
        this.factory = factory;
        this.summary = summary;
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public String usage() {
        return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    @Override
    public int run(String[] args) {
        return commandLine().execute(args);
    }

    private CommandLine commandLine() {
        CommandLine cl = new CommandLine(factory.get());
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("Error: " + e.getMessage());
            err.println();
            e.getCommandLine().usage(err, CommandLine.Help.Ansi.OFF);
            return Main.EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof Main.UsageException) {
                commandLine.getErr().println("Error: " + e.getMessage());
                commandLine.getErr().println();
                commandLine.usage(commandLine.getErr(), CommandLine.Help.Ansi.OFF);
                return Main.EXIT_USAGE;
            }
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println("Error: " + message.replace('\n', ' '));
            return Main.EXIT_BAD_INPUT;
        });
        return cl;
    }
}
