package io.leakdetector.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.DailyAccounts;
import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.RowSource;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two detectors that walk every daily app-account row read them field by field ({@link DailyAccounts}): read
 * from the scan's columns, every field must be the record's, rows kept whole included, and a history of plain records
 * must answer the same.
 */
class DailyAccountsTest {
    @TempDir Path dir;

    private static void assertSameFields(DailyAccounts view, List<AppAccount> records) {
        assertThat(view.size()).isEqualTo(records.size());
        for (int r = 0; r < records.size(); r++) {
            AppAccount e = records.get(r);
            assertThat(view.epochDay(r)).as("row %d", r).isEqualTo(e.observedOn().toEpochDay());
            assertThat(view.seatsInUse(r)).as("row %d", r).isEqualTo(e.seatsInUse());
            assertThat(view.productId(r)).as("row %d", r).isEqualTo(e.productId());
            assertThat(view.accessStatus(r)).as("row %d", r).isEqualTo(e.accessStatus());
            assertThat(view.get(r)).as("row %d", r).isEqualTo(e);
            assertThat(view.get(r).source()).isEqualTo(e.source());
        }
    }

    @Test
    void columnsAnswerEveryFieldAsTheRecordsDoRowsKeptWholeIncluded() {
        AppAccountColumns.Builder b = new AppAccountColumns.Builder("app_accounts.csv");
        LocalDate day = LocalDate.of(2026, 1, 1);
        List<AppAccount> rows = List.of(
                new AppAccount("a_2", "cus_2", null, day, 1, "active", RowSource.at("app_accounts.csv", 2)),
                new AppAccount("a_1", "cus_1", "p", day.plusDays(1), 2, "Trialing", RowSource.at("app_accounts.csv", 3)),
                new AppAccount("a_1", "cus_1", "p", day, 3, "revoked", "acct-from-the-store"), // kept whole
                new AppAccount("a_3", "cus_1", "q", day.minusDays(400), 5_000_000_000L, "active",
                        RowSource.at("app_accounts.csv", 4)), // seats beyond an int: kept whole
                new AppAccount("a_1", "cus_4", "p", day.plusDays(9), 7, "suspended", RowSource.at("app_accounts.csv", 9)));
        rows.forEach(b::add);
        AppAccountColumns columns = AppAccountColumns.of("app_accounts.csv", List.of(b));
        int[] order = {4, 3, 2, 1, 0};
        List<AppAccount> some = columns.rows(order, 1, 5);
        assertThat(some).isInstanceOf(DailyAccounts.class);
        DailyAccounts view = (DailyAccounts) some;
        List<AppAccount> expected = List.of(rows.get(3), rows.get(2), rows.get(1), rows.get(0));
        assertSameFields(view, expected);
        assertThatThrownBy(() -> view.epochDay(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> view.productId(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        // records read through the view: the same answers
        assertSameFields(DailyAccounts.of(expected), expected);
    }

    @Test
    void aGroupedWorldsHistoriesReadTheSameFieldsFromColumnsAsFromRecords() {
        Path world = dir.resolve("world");
        Generator.generate(GeneratorConfig.of(200, 4, 5), world);
        LoadedData columns = DataDirectoryLoader.load(world, 2);
        LoadedData plain = new LoadedData(columns.customers(), columns.prices(), columns.subscriptions(),
                columns.subscriptionChanges(), columns.invoices(), columns.invoiceLines(), columns.paymentMethods(),
                columns.payments(), columns.refunds(), columns.creditNotes(), columns.disputes(), columns.usage(),
                new ArrayList<>(columns.appAccounts()), columns.files(), columns.latestEvent());
        CustomerGrouping fromColumns = new CustomerGrouping(columns), fromRecords = new CustomerGrouping(plain);
        int rows = 0;
        for (int c = 0; c < fromRecords.size(); c++) {
            CustomerHistory a = fromColumns.history(c), b = fromRecords.history(c);
            assertSameFields(a.appAccountDays(), b.appAccounts());
            assertSameFields(b.appAccountDays(), b.appAccounts());
            rows += b.appAccounts().size();
        }
        assertThat(rows).isGreaterThan(1000);
    }
}
