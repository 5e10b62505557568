package io.leakdetector.app.ingest;

import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreOptions;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code leak-detector rejected}: exports the rejected rows as CSV (file, line, column, reason, raw). */
@Command(name = "rejected", mixinStandardHelpOptions = true,
        description = {"Writes the rows imports rejected as CSV: import_id,file,line,column,reason,raw.",
                "Cells starting with = + - @ are prefixed with ' so that spreadsheets do not run them."})
public final class RejectedCommand implements Callable<Integer> {
    @Option(names = "--import", paramLabel = "ID", description = "only rows first rejected by this import (default: all)")
    Long importId;

    @Option(names = "--out", paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path out;

    @Mixin
    StoreOptions storeOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (Store store = Store.open(storeOptions.settings())) {
            ImportRunRepository runs = new ImportRunRepository(store);
            long[] n = {0};
            Writer w = out == null ? new OutputStreamWriter(System.out, StandardCharsets.UTF_8)
                    : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
            try {
                RejectedRowsCsv csv = new RejectedRowsCsv(w);
                csv.header();
                runs.forEachRejected(importId, row -> {
                    try {
                        csv.row(row);
                        n[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } finally {
                if (out == null) w.flush();
                else w.close();
            }
            if (out != null) spec.commandLine().getErr().printf("%d rejected rows written to %s%n", n[0], out);
            return 0;
        }
    }
}
