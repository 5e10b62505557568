package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.USD;
import static io.leakdetector.core.detect.HistoryBuilder.t;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageRevenueGapDetectorTest {
    private final UsageRevenueGapDetector detector = new UsageRevenueGapDetector();
    private final P flat = P.price("price_team").flat().unit("100.00");

    private static DetectionContext ctx(SegmentNorms norms, P... prices) {
        return new DetectionContext(t("2026-04-01"), new PriceBook(List.of(prices[0].build())), norms);
    }

    private HistoryBuilder customer(long januaryUsage) {
        return new HistoryBuilder().sub(S.sub("sub_1").price("price_team").started("2026-01-01"))
                .monthly("sub_1", "price_team", 1, "100.00", "2026-01", "2026-03").usage("sub_1", "gb", "2026-01", januaryUsage);
    }

    @Test
    void normsAreTheMedianRevenuePerUnitOfTheSegment() {
        SegmentNorms.Builder b = new SegmentNorms.Builder(t("2026-04-01"));
        for (int i = 0; i < 3; i++) b.add(customer(1000 * (i + 1)).build()); // 10000 minor / 1000, 2000, 3000 units
        SegmentNorms.Norm n = b.build().norm("smb", "gb", USD);
        assertThat(n.samples()).isEqualTo(3);
        assertThat(n.minorPerUnit()).isEqualByComparingTo("5");
    }

    @Test
    void revenueFarBelowTheNormIsAGap() {
        SegmentNorms norms = new SegmentNorms(Map.of(SegmentNorms.key("smb", "gb", USD), new SegmentNorms.Norm(new BigDecimal("2"), 100)));
        // 50 000 GB at 2 cents each would bill USD 1,000.00; USD 100.00 was billed
        assertThat(detector.detect(customer(50_000).build(), ctx(norms, flat))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("customer:cus_1@2026-01");
            assertThat(d.amountOneTime()).isEqualTo(usd("900.00"));
        });
    }

    @Test
    void revenueNearTheNormOrANormFromTooFewSamplesIsNotAGap() {
        SegmentNorms near = new SegmentNorms(Map.of(SegmentNorms.key("smb", "gb", USD), new SegmentNorms.Norm(new BigDecimal("2"), 100)));
        assertThat(detector.detect(customer(6_000).build(), ctx(near, flat))).isEmpty();
        SegmentNorms thin = new SegmentNorms(Map.of(SegmentNorms.key("smb", "gb", USD), new SegmentNorms.Norm(new BigDecimal("2"), 5)));
        assertThat(detector.detect(customer(50_000).build(), ctx(thin, flat))).isEmpty();
    }

    @Test
    void usageBilledOnTheNextInvoiceCountsForItsMonth() {
        SegmentNorms norms = new SegmentNorms(Map.of(SegmentNorms.key("smb", "gb", USD), new SegmentNorms.Norm(new BigDecimal("2"), 100)));
        HistoryBuilder h = customer(50_000).invoice("in_ov", "sub_1", "2026-02-01", "2026-02-01", "2026-03-01", true, "0.00",
                L.usage(45_000, "0.02", "2026-01"));
        assertThat(detector.detect(h.build(), ctx(norms, flat))).isEmpty();
    }
}
