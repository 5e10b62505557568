package io.leakdetector.app.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.cli.Main;
import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.evaluate.TruthRow;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import io.leakdetector.core.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate and evaluate through the command line: exit codes, messages, and a round trip. */
class GenerateEvaluateCommandTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void generatedTruthScoredAgainstItselfIsPerfect(@TempDir Path dir) {
        Run gen = run("generate", "--out", dir.toString(), "--customers", "300", "--months", "12", "--seed", "5", "--leak-rate", "0.3");
        assertThat(gen.code()).as(gen.err()).isZero();
        assertThat(gen.out()).contains("invoices.csv").contains("truth.csv");
        List<TruthRow> truth = TruthFile.read(dir.resolve("truth.csv"));
        assertThat(truth).isNotEmpty();
        Path findings = dir.resolve("findings.jsonl");
        FindingsFile.write(findings, truth.stream().map(t -> new Finding("f" + t.source(), t.category(), t.kind(), t.subject(), null,
                t.amountOneTime(), t.amountMonthlyRecurring(), t.currency(), 0.9, null, null, null, "because", null, null, null)).toList());
        Run eval = run("evaluate", "--truth", dir.resolve("truth.csv").toString(), "--findings", findings.toString(), "--json");
        assertThat(eval.code()).as(eval.err()).isZero();
        Map<String, Object> json = (Map<String, Object>) Json.parse(eval.out().strip());
        assertThat(json.get("precision").toString()).isEqualTo("1");
        assertThat(json.get("recall").toString()).isEqualTo("1");
        assertThat(json.get("truth").toString()).isEqualTo(Integer.toString(truth.size()));
        Run table = run("evaluate", "--truth", dir.resolve("truth.csv").toString(), "--findings", findings.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("precision").contains("ALL");
    }

    @Test
    void malformedFindingsExitTwoNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("truth.csv");
        Files.writeString(truth, "subject,category,currency\ninvoice:a,FAILED_PAYMENT,USD\n");
        Path findings = dir.resolve("findings.csv");
        Files.writeString(findings, "subject,category,currency,score\ninvoice:a,FAILED_PAYMENT,USD,0.9\ninvoice:b,NOPE,USD,0.5\n");
        Run r = run("evaluate", "--truth", truth.toString(), "--findings", findings.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("findings.csv:3");
        Path badTruth = dir.resolve("bad-truth.csv");
        Files.writeString(badTruth, "subject,category,currency\ninvoice:a,FAILED_PAYMENT,XXX\n");
        Run t = run("evaluate", "--truth", badTruth.toString(), "--findings", findings.toString());
        assertThat(t.code()).isEqualTo(2);
        assertThat(t.err()).contains("bad-truth.csv:2");
        Run missing = run("evaluate", "--truth", dir.resolve("nope.csv").toString(), "--findings", findings.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.csv");
    }

    @Test
    void badGenerateArgumentsExitTwo(@TempDir Path dir) {
        assertThat(run("generate", "--out", dir.toString(), "--customers", "0").code()).isEqualTo(2);
        assertThat(run("generate", "--out", dir.toString(), "--start", "2024/01").code()).isEqualTo(2);
        assertThat(run("generate", "--out", dir.toString(), "--leak-rate", "1.5").code()).isEqualTo(2);
    }
}
