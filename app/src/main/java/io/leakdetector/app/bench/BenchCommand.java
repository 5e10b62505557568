package io.leakdetector.app.bench;

import picocli.CommandLine.Command;

/** {@code leak-detector bench}: performance measurements whose medians go into BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Runs a benchmark; see its subcommands.",
        subcommands = {ImportBench.class, EventsBench.class, PageBench.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
