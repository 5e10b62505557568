package io.leakdetector.app.remediation;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Revenue recovered per month (UTC calendar month of the money's arrival), per currency. */
@RestController
@Tag(name = "summary")
class RecoveryController {
    private final Recoveries recoveries;

    RecoveryController(Recoveries recoveries) {
        this.recoveries = recoveries;
    }

    record Amount(String currency, String amount) {}

    record Month(String month, long count, List<Amount> recovered) {}

    record Series(List<Month> months) {}

    @GetMapping("/api/v1/summary/recovered")
    @Operation(summary = "Revenue recovered per month, per currency (the last N months, this one included)")
    Series monthly(@Parameter(description = "months, 1-60 (default 12)") @RequestParam(required = false) Integer months) {
        int n = months == null ? 12 : months;
        if (n < 1 || n > 60) throw ApiException.badField("months", "months must be between 1 and 60");
        List<Month> out = new ArrayList<>();
        for (Recoveries.Month m : recoveries.monthly(n)) {
            List<Amount> amounts = new ArrayList<>();
            m.amountMinorByCurrency().forEach((c, v) -> amounts.add(new Amount(c, new Money(v, Currencies.of(c)).toPlainString())));
            out.add(new Month(m.month().toString(), m.count(), amounts));
        }
        return new Series(out);
    }
}
