package io.leakdetector.app.cli;

import io.leakdetector.app.bench.BenchCommand;
import io.leakdetector.app.ingest.ImportCommand;
import io.leakdetector.app.ingest.RejectedCommand;
import io.leakdetector.app.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code leak-detector} command line. Commands that need no server (scan, generate, evaluate) never boot
 * Spring, so they start in well under a second.
 */
@Command(name = "leak-detector", mixinStandardHelpOptions = true, version = "leak-detector 0.1.0",
        description = "Finds revenue leaks in SaaS and fintech billing data.",
        subcommands = {CommandLine.HelpCommand.class, ImportCommand.class, RejectedCommand.class, ServeCommand.class,
                BenchCommand.class, io.leakdetector.app.ingest.DetectCommand.class, io.leakdetector.app.generate.GenerateCommand.class,
                io.leakdetector.app.evaluate.EvaluateCommand.class, io.leakdetector.app.ml.OutliersCommand.class, io.leakdetector.app.ml.SupervisedEvalCommand.class,
                io.leakdetector.app.scan.ScanCommand.class, io.leakdetector.app.demo.DemoCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        useCliLogging(args);
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failure, 2 bad usage or input). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    /**
     * Commands other than serve log warnings only, to stderr (logback-cli.xml), so that their stdout is clean
     * output; it must be chosen before the first logger is created.
     */
    static void useCliLogging(String[] args) {
        boolean serve = args.length > 0 && (args[0].equals("serve") || args[0].equals("demo"));
        if (!serve && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-cli.xml");
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
