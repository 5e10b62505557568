package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnbilledUsageDetectorTest {
    private final UnbilledUsageDetector detector = new UnbilledUsageDetector();
    private final P api = P.price("price_api").plan("api").product("prod_api").flat().unit("100.00").usage("api_calls", 1000, "0.02");

    private HistoryBuilder usagePlan() {
        return new HistoryBuilder().sub(S.sub("sub_u").price("price_api").started("2026-01-01"))
                .monthly("sub_u", "price_api", 1, "100.00", "2026-01", "2026-03");
    }

    @Test
    void overageWithNoUsageLineIsUnbilledUnitsTimesOveragePrice() {
        HistoryBuilder h = usagePlan().usage("sub_u", "api_calls", "2026-01", 1500);
        assertThat(detector.detect(h.build(), ctx("2026-03-15", api))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("subscription:sub_u@2026-01");
            assertThat(d.amountOneTime()).isEqualTo(usd("10.00"));
            assertThat(d.explanation()).contains("1500", "1000 included", "500");
        });
    }

    @Test
    void overageBilledInArrearsIsNotALeak() {
        HistoryBuilder h = usagePlan().usage("sub_u", "api_calls", "2026-01", 1500)
                .invoice("in_ov", "sub_u", "2026-02-01", "2026-02-01", "2026-03-01", true, "0.00", L.usage(500, "0.02", "2026-01"));
        assertThat(detector.detect(h.build(), ctx("2026-03-15", api))).isEmpty();
    }

    @Test
    void lastMonthsUsageNotYetInvoicedIsNotALeak() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_u").price("price_api").started("2026-01-01"))
                .monthly("sub_u", "price_api", 1, "100.00", "2026-01", "2026-02").usage("sub_u", "api_calls", "2026-02", 5000);
        assertThat(detector.detect(h.build(), ctx("2026-03-15", api))).isEmpty();
    }

    @Test
    void lastMonthsUsageIsJudgedOnceTheNextInvoiceWentOutWithoutIt() {
        HistoryBuilder h = usagePlan().usage("sub_u", "api_calls", "2026-02", 5000); // March invoice exists, no usage line
        assertThat(detector.detect(h.build(), ctx("2026-03-15", api))).singleElement()
                .satisfies(d -> assertThat(d.subject()).isEqualTo("subscription:sub_u@2026-02"));
    }

    @Test
    void usageWithinTheAllowanceIsNotALeak() {
        HistoryBuilder h = usagePlan().usage("sub_u", "api_calls", "2026-01", 1000);
        assertThat(detector.detect(h.build(), ctx("2026-03-15", api))).isEmpty();
    }

    private HistoryBuilder seatPlan() {
        return new HistoryBuilder().sub(S.sub("sub_1").qty(10).started("2026-01-01"))
                .monthly("sub_1", "price_pro_v1", 10, "79.00", "2026-01", "2026-02");
    }

    @Test
    void seatsAboveTheBilledQuantityForThreeDaysOrMoreAreALeak() {
        HistoryBuilder h = seatPlan().seats("prod_pro", "2026-01-01", "2026-01-20", 10).seats("prod_pro", "2026-01-21", "2026-01-25", 12);
        assertThat(detector.detect(h.build(), ctx("2026-02-15", P.price("price_pro_v1")))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("subscription:sub_1@2026-01");
            assertThat(d.amountOneTime()).isEqualTo(usd("158.00"));
        });
    }

    @Test
    void seatsOverForFewerThanThreeDaysAreNotALeak() {
        HistoryBuilder h = seatPlan().seats("prod_pro", "2026-01-01", "2026-01-29", 10).seats("prod_pro", "2026-01-30", "2026-01-31", 14);
        assertThat(detector.detect(h.build(), ctx("2026-02-15", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void seatsAddedOnTheContractAndProratedLaterAreNotALeak() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(12).started("2026-01-01"))
                .change("sub_1", "2026-01-10", "quantity", "price_pro_v1", "price_pro_v1", 10L, 12L)
                .monthly("sub_1", "price_pro_v1", 10, "79.00", "2026-01", "2026-01")
                .invoice("in_feb", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 12, "79.00"),
                        L.proration("price_pro_v1", 1, "56.06"))
                .seats("prod_pro", "2026-01-01", "2026-01-09", 10).seats("prod_pro", "2026-01-10", "2026-01-31", 12);
        assertThat(detector.detect(h.build(), ctx("2026-02-15", P.price("price_pro_v1")))).isEmpty();
    }

    /** A plan anchored on the 15th: the allowance is per billing period, and overage is billed for exactly that period. */
    private HistoryBuilder anchoredOnThe15th(boolean billSecondPeriod) {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_u").price("price_api").started("2026-01-15"))
                .dailyUsage("sub_u", "api_calls", "2026-01-15", "2026-01-31", 20)
                .dailyUsage("sub_u", "api_calls", "2026-02-01", "2026-02-28", 60) // 1680 in the calendar month
                .dailyUsage("sub_u", "api_calls", "2026-03-01", "2026-03-14", 20)
                .invoice("in_1", "sub_u", "2026-01-15", "2026-02-15", true, L.sub("price_api", 1, "100.00"))
                .invoice("in_2", "sub_u", "2026-02-15", "2026-03-15", true, L.sub("price_api", 1, "100.00"),
                        L.usageFor(180, "0.02", "2026-01-15", "2026-02-15")); // 17×20 + 14×60 = 1180
        if (billSecondPeriod) {
            h.invoice("in_3", "sub_u", "2026-03-15", "2026-04-15", true, L.sub("price_api", 1, "100.00"),
                    L.usageFor(120, "0.02", "2026-02-15", "2026-03-15")); // 14×60 + 14×20 = 1120
        } else {
            h.invoice("in_3", "sub_u", "2026-03-15", "2026-04-15", true, L.sub("price_api", 1, "100.00"));
        }
        return h.invoice("in_4", "sub_u", "2026-04-15", "2026-05-15", true, L.sub("price_api", 1, "100.00"));
    }

    @Test
    void overageBilledPerBillingPeriodAnchoredOffTheFirstIsNotALeak() {
        assertThat(detector.detect(anchoredOnThe15th(true).build(), ctx("2026-05-20", api))).isEmpty();
    }

    @Test
    void overageOfABillingPeriodAnchoredOffTheFirstIsJudgedOverThatPeriod() {
        assertThat(detector.detect(anchoredOnThe15th(false).build(), ctx("2026-05-20", api))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("subscription:sub_u@2026-02");
            assertThat(d.amountOneTime()).isEqualTo(usd("2.40"));
            assertThat(d.explanation()).contains("2026-02-15 to 2026-03-15", "1120");
        });
    }

    private HistoryBuilder twoSeatSubscriptionsOfOneProduct() {
        return new HistoryBuilder().sub(S.sub("sub_a").qty(10).started("2026-01-01")).sub(S.sub("sub_b").qty(5).started("2026-01-01"))
                .monthly("sub_a", "price_pro_v1", 10, "79.00", "2026-01", "2026-02")
                .monthly("sub_b", "price_pro_v1", 5, "79.00", "2026-01", "2026-02");
    }

    @Test
    void seatsPaidForByTwoSubscriptionsOfTheProductAreNotALeak() {
        HistoryBuilder h = twoSeatSubscriptionsOfOneProduct().seats("prod_pro", "2026-01-01", "2026-01-31", 15);
        assertThat(detector.detect(h.build(), ctx("2026-02-15", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void seatsAboveWhatAllSubscriptionsOfTheProductPayForAreOneLeak() {
        HistoryBuilder h = twoSeatSubscriptionsOfOneProduct().seats("prod_pro", "2026-01-01", "2026-01-31", 17);
        assertThat(detector.detect(h.build(), ctx("2026-02-15", P.price("price_pro_v1")))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("subscription:sub_a@2026-01");
            assertThat(d.amountOneTime()).isEqualTo(usd("158.00"));
        });
    }

    @Test
    void usageCarryingASubscriptionItemIdCountsAgainstTheUsageSubscriptionOfItsMetric() {
        // Stripe's usage export names the subscription item (si_…), not the subscription
        HistoryBuilder h = usagePlan().usage("si_8", "api_calls", "2026-01", 1500);
        assertThat(detector.detect(h.build(), ctx("2026-03-15", api))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("subscription:sub_u@2026-01");
            assertThat(d.amountOneTime()).isEqualTo(usd("10.00"));
        });
    }
}
