package io.leakdetector.app.ingest;

import static io.leakdetector.app.ingest.TestDirectories.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The import and rejected commands as a user runs them (embedded H2 through --data; no server). */
class ImportCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void jsonOutputIsOneObjectWithFilesAndTotal() {
        Path dir = TestDirectories.small(tmp.resolve("small"));

        int code = run("import", dir.toString(), "--json", "--data", tmp.resolve("db").toString());

        assertThat(code).as(err.toString()).isZero();
        String json = out.toString().strip();
        assertThat(json).startsWith("{").endsWith("}").doesNotContain("\n");
        int n = TestDirectories.SMALL_TOTAL;
        assertThat(json).contains("\"customers.csv\":{\"read\":3,\"imported\":3,\"rejected\":0,\"duplicates\":0}")
                .contains("\"total\":{\"read\":" + n + ",\"imported\":" + n + ",\"rejected\":0,\"duplicates\":0}");

        out.getBuffer().setLength(0);
        assertThat(run("import", dir.toString(), "--json", "--data", tmp.resolve("db").toString())).isZero();
        assertThat(out.toString()).contains("\"total\":{\"read\":" + n + ",\"imported\":0,\"rejected\":0,\"duplicates\":" + n + "}");
    }

    @Test
    void aTableIsPrintedPerFileWithTotalsAndAHintForRejectedRows() {
        Path dir = tmp.resolve("d");
        write(dir, "customers.csv", "customer_id,currency", "cus_1,USD", "cus_2,XXX");

        assertThat(run("import", dir.toString(), "--data", tmp.resolve("db").toString())).isZero();

        assertThat(out.toString()).containsPattern(Pattern.compile("customers\\.csv\\s+2\\s+1\\s+1\\s+0"))
                .containsPattern(Pattern.compile("total\\s+2\\s+1\\s+1\\s+0"))
                .contains("leak-detector rejected --import 1");
    }

    @Test
    void aMissingRequiredColumnExitsWithTwoNamingTheFile() {
        Path dir = tmp.resolve("d");
        write(dir, "customers.csv", "customer_id,name", "cus_1,Acme");

        assertThat(run("import", dir.toString(), "--data", tmp.resolve("db").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("customers.csv").contains("currency");
    }

    @Test
    void aDirectoryThatDoesNotExistExitsWithTwo() {
        assertThat(run("import", tmp.resolve("nope").toString(), "--data", tmp.resolve("db").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nope").contains("not a directory");
    }

    @Test
    void rejectedWritesTheRejectedRowsAsCsv() throws Exception {
        Path dir = tmp.resolve("d");
        write(dir, "customers.csv", "customer_id,name,currency", "cus_1,Acme,USD", "cus_2,-2+3,EUR", "cus_3,x,ABC");
        String data = tmp.resolve("db").toString();
        assertThat(run("import", dir.toString(), "--data", data)).isZero();

        Path csv = tmp.resolve("rejected.csv");
        assertThat(run("rejected", "--import", "1", "--out", csv.toString(), "--data", data)).isZero();

        assertThat(Files.readAllLines(csv, StandardCharsets.UTF_8)).containsExactly(
                "import_id,file,line,column,reason,raw",
                "1,customers.csv,4,currency,unknown currency 'ABC',\"cus_3,x,ABC\"");
        assertThat(err.toString()).contains("1 rejected rows written to");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"import", "rejected", "serve", "bench"}) {
            out.getBuffer().setLength(0);
            assertThat(run(cmd, "--help")).isZero();
            assertThat(out.toString()).contains("Usage: leak-detector " + cmd);
        }
    }
}
