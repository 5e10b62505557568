package io.leakdetector.app.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OutliersCommandTest {
    @TempDir
    Path dir;

    /** 300 inliers around 0 and 20 outliers far away on feature b, label last. */
    private Path labelledCsv() throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder s = new StringBuilder("a,b,c,label\n");
        for (int i = 0; i < 320; i++) {
            boolean outlier = i % 16 == 0;
            s.append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%d%n", rng.nextGaussian(),
                    rng.nextGaussian() + (outlier ? 9 : 0), rng.nextGaussian(), outlier ? 1 : 0));
        }
        Path file = dir.resolve("points.csv");
        Files.writeString(file, s);
        return file;
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new OutliersCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void labelRunsTheBenchmarkProtocolAndPrintsJson() throws IOException {
        String[] r = run(labelledCsv().toString(), "--label", "label", "--json", "--trees", "50");
        assertThat(r[0]).isEqualTo("0");
        Matcher m = Pattern.compile("\\{\"roc_auc\": ([0-9.]+), \"splits\": 10}\\s*").matcher(r[1]);
        assertThat(m.matches()).as(r[1]).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThan(0.95).isLessThanOrEqualTo(1.0);
    }

    @Test
    void withoutLabelEveryRowGetsAScoreAndItsTopFeatures() throws IOException {
        Path file = dir.resolve("plain.csv");
        Files.writeString(file, "x,y\n0,0\n0.1,0\n0,0.1\n-0.1,0\n0,-0.1\n0.05,0.05\n0,50\n");
        String[] r = run(file.toString(), "--json");
        assertThat(r[0]).isEqualTo("0");
        String[] lines = r[1].strip().split("\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[6]).startsWith("{\"line\": 8, ").contains("\"feature\": \"y\"").contains("y = 50 (typical 0)");
        double last = score(lines[6]);
        for (int i = 0; i < 6; i++) assertThat(score(lines[i])).isLessThan(last);

        String[] text = run(file.toString());
        assertThat(text[1]).startsWith("line\tscore\texplanation").contains("\n8\t");
    }

    private static double score(String jsonLine) {
        Matcher m = Pattern.compile("\"score\": ([0-9.]+)").matcher(jsonLine);
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aNonNumericCellExitsWithTwoNamingFileLineAndColumn() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "a,b\n1,2\n3,four\n");
        assertThat(viaMain("outliers", file.toString())).contains("bad.csv line 3, column b: not a number: 'four'");
        assertThat(viaMain("outliers", dir.resolve("missing.csv").toString())).contains("missing.csv: no such file");
    }

    /** Runs the real command line; asserts exit code 2 and returns what went to stderr. */
    private static String viaMain(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setErr(original);
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingLabelColumnAndBadOptionsAreUsageErrors() throws IOException {
        Path file = labelledCsv();
        assertThat(viaMain("outliers", file.toString(), "--label", "nope")).contains("no column named 'nope'");
        assertThat(run(file.toString(), "--trees", "0")[0]).isEqualTo("2");
        assertThat(run()[0]).isEqualTo("2");
    }
}
