package io.leakdetector.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.api.SummaryController;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.ml.ShapEvidence;
import io.leakdetector.core.util.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pages' pure helpers: money per currency, subjects, allowed moves, the waterfall's data, upload line counts. */
class DashboardPartsTest {

    @Test
    void amountsArePerCurrencyInTheirOwnDecimalsAndZeroesAreLeftOut() {
        Fmt fmt = new Fmt();
        assertThat(fmt.amounts(List.of(new SummaryController.Amount("EUR", "0.00"), new SummaryController.Amount("JPY", "4900"),
                new SummaryController.Amount("KWD", "1234.500")))).isEqualTo("JPY 4,900 · KWD 1,234.500");
        assertThat(fmt.amounts(List.of(new SummaryController.Amount("USD", "0.00")))).isEqualTo("—");
        assertThat(fmt.words("IN_REMEDIATION")).isEqualTo("In remediation");
    }

    @Test
    void subjectsNameTheirRecord() {
        assertThat(FindingsPages.subjectId("invoice:in_1")).isEqualTo("in_1");
        assertThat(FindingsPages.subjectId("subscription:sub_9@2026-03")).isEqualTo("sub_9");
    }

    @Test
    void statusButtonsFollowTheApisTransitions() {
        assertThat(FindingsPages.moves(FindingStatus.OPEN)).containsExactly("acknowledged", "in_remediation", "recovered", "dismissed");
        assertThat(FindingsPages.moves(FindingStatus.RECOVERED)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void waterfallKeepsTheTenLargestAndSumsTheRest() {
        List<ShapEvidence.Contribution> cs = new java.util.ArrayList<>();
        for (int i = 1; i <= 12; i++) cs.add(new ShapEvidence.Contribution("f" + i, i, i % 2 == 0 ? -i / 10.0 : i / 10.0));
        Map<String, Object> chart = (Map<String, Object>) Json.parse(FindingsPages.waterfall(new ShapEvidence.Waterfall("path length", 10, cs)));
        List<Map<String, Object>> steps = (List<Map<String, Object>>) chart.get("steps");
        assertThat(steps).hasSize(11);
        assertThat(steps.get(0).get("name")).isEqualTo("f12 = 12.0");
        assertThat(steps.get(10).get("name")).isEqualTo("2 other features");
        assertThat(((Number) steps.get(10).get("value")).doubleValue()).isEqualTo(0.1 - 0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(((Number) chart.get("output")).doubleValue()).isEqualTo(9.4, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void uploadLinesAreCountedAfterTheHeader() throws Exception {
        assertThat(ImportPages.dataLines(new ByteArrayInputStream("a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8)))).isEqualTo(2);
        assertThat(ImportPages.dataLines(new ByteArrayInputStream("a,b\n1,2\n3,4".getBytes(StandardCharsets.UTF_8)))).isEqualTo(2);
        assertThat(ImportPages.dataLines(new ByteArrayInputStream("a,b".getBytes(StandardCharsets.UTF_8)))).isZero();
    }
}
