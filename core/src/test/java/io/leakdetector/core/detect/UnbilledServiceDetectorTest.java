package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnbilledServiceDetectorTest {
    private final UnbilledServiceDetector detector = new UnbilledServiceDetector();
    private final P seat = P.price("price_pro_v1");
    private final P seatAnnual = P.price("price_pro_y").plan("pro-y").annual().unit("720.00");

    @Test
    void accessAfterCancellationIsPricedAtTheCheapestCoveringPlan() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2025-06-01").canceled("2026-01-01"))
                .seats("prod_pro", "2025-12-20", "2026-02-10", 3);
        var found = detector.detect(h.build(), ctx("2026-02-11", seat, seatAnnual));
        assertThat(found).extracting(Detection::subject).containsExactly("customer:cus_1@2026-01", "customer:cus_1@2026-02");
        // 3 seats: monthly 3 × 79 = 237 against annual 3 × 720 / 12 = 180 → the annual plan is cheaper
        assertThat(found.get(0).amountMonthlyRecurring()).isEqualTo(usd("180.00"));
        assertThat(found.get(0).explanation()).contains("sub_1", "2026-01-01", "price_pro_y");
    }

    @Test
    void useDuringATrialOrALiveSubscriptionIsCovered() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01").trialEnd("2026-01-15"))
                .seats("prod_pro", "2026-01-01", "2026-02-10", 3);
        assertThat(detector.detect(h.build(), ctx("2026-02-11", seat))).isEmpty();
    }

    @Test
    void accessSwitchedOffWithinTheGraceIsNotALeak() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2025-06-01").canceled("2026-01-01"))
                .seats("prod_pro", "2025-12-20", "2026-01-02", 3);
        assertThat(detector.detect(h.build(), ctx("2026-02-11", seat))).isEmpty();
    }

    @Test
    void meteredUsageWithNoSubscriptionIsALeak() {
        HistoryBuilder h = new HistoryBuilder().usage(null, "api_calls", "2026-01", 4000);
        P api = P.price("price_api").plan("api").product("prod_api").flat().unit("100.00").usage("api_calls", 1000, "0.02");
        assertThat(detector.detect(h.build(), ctx("2026-03-01", api))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("customer:cus_1@2026-01");
            assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("160.00"));
        });
    }

    @Test
    void accessToTheEndOfAPaidPeriodAfterACancelAtPeriodEndRequestIsCovered() {
        // Stripe cancel_at_period_end: canceled_at is the request (Mar 10); the March period was paid through Apr 1
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).started("2026-01-01").canceled("2026-03-10T12:00:00Z"))
                .monthly("sub_1", "price_pro_v1", 2, "79.00", "2026-01", "2026-03")
                .seats("prod_pro", "2026-01-01", "2026-03-31", 2);
        assertThat(detector.detect(h.build(), ctx("2026-05-01", seat))).isEmpty();
        // access that goes on after the paid period is still a leak
        h.seats("prod_pro", "2026-04-01", "2026-04-20", 2);
        assertThat(detector.detect(h.build(), ctx("2026-05-01", seat))).extracting(Detection::subject)
                .containsExactly("customer:cus_1@2026-04");
    }

    @Test
    void accessOfACustomerNeverSoldAnythingIsAFreeTierAccount() {
        // freemium: app access, no subscription and no invoice ever (with or without a zero-price plan on the book)
        HistoryBuilder h = new HistoryBuilder().seats("prod_pro", "2026-01-01", "2026-02-28", 2);
        assertThat(detector.detect(h.build(), ctx("2026-03-15", seat))).isEmpty();
        assertThat(detector.detect(h.build(), ctx("2026-03-15", seat, P.price("price_free").plan("free").flat().unit("0.00")))).isEmpty();
    }

    @Test
    void accessAfterCancellationCoveredByAFreePlanIsNotALeak() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2025-06-01").canceled("2026-01-01"))
                .seats("prod_pro", "2025-12-20", "2026-02-10", 3);
        assertThat(detector.detect(h.build(), ctx("2026-02-11", seat, P.price("price_free").plan("free").flat().unit("0.00")))).isEmpty();
    }
}
