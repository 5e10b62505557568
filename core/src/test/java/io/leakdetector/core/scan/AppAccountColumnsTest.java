package io.leakdetector.core.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.RowSource;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import io.leakdetector.core.ingest.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan keeps the daily app accounts in columns: read back as a list (and through the customer grouping) they must
 * be exactly the records the general reader makes, with their {@code file:line} sources, and the rejected rows and
 * their reasons must not change.
 */
class AppAccountColumnsTest {
    @TempDir Path dir;

    /** The records and rejections of the general (String) reader, the reference the scan's reading is held to. */
    private static List<AppAccount> general(Path file, List<Rejection> rejections) {
        List<AppAccount> out = new ArrayList<>();
        DataFileReader.read(file, Schemas.of(EntityKind.APP_ACCOUNTS, AppAccount.class), new RowHandler<>() {
            @Override
            public void accepted(Parsed<AppAccount> row) {
                out.add(row.record());
            }

            @Override
            public void rejected(Rejection rejection) {
                rejections.add(rejection);
            }
        }, false);
        return out;
    }

    private static void assertSameRows(List<AppAccount> actual, List<AppAccount> expected) {
        assertThat(actual).isInstanceOf(AppAccountColumns.class).hasSameSizeAs(expected).isEqualTo(expected);
        for (int i = 0; i < expected.size(); i++) {
            AppAccount a = actual.get(i), e = expected.get(i);
            assertThat(a.source()).isEqualTo(e.source());
            assertThat(a.origin().line()).isEqualTo(e.origin().line());
            assertThat(a.productId()).isEqualTo(e.productId());
        }
    }

    @Test
    void aGeneratedWorldsAccountsReadBackAsTheRecordsTheReaderMakes() {
        Path world = dir.resolve("world");
        Generator.generate(GeneratorConfig.of(300, 6, 7), world);
        LoadedData data = DataDirectoryLoader.load(world, 2);
        List<AppAccount> expected = general(world.resolve("app_accounts.csv"), new ArrayList<>());
        assertThat(expected).hasSizeGreaterThan(1000);
        assertSameRows(data.appAccounts(), expected);
    }

    @Test
    void rejectedRowsAndOddRowsAreThoseOfTheGeneralReader() throws IOException {
        Path d = dir.resolve("odd");
        Files.createDirectories(d);
        StringBuilder csv = new StringBuilder("account_id,customer_id,product_id,observed_on,seats_in_use,access_status\n");
        csv.append("a_1,cus_1,prod,2026-02-01,3,active\n")
                .append("a_1,cus_1,prod,2026-02-29,3,active\n") // no such day
                .append("a_1,cus_1,prod,2026-02-01T10:00:00Z,3,active\n") // not a date
                .append("a_1,cus_1,prod,2026-02-02,-3,active\n") // negative seats: the record's own check
                .append("a_1,cus_1,prod,2026-02-03,,active\n") // missing
                .append("a_1,,prod,2026-02-03,1,active\n") // no customer
                .append("a_1,cus_1,prod,2026-02-03,1\n") // a field short
                .append("\n")
                .append("a_2,cus_2,,2026-02-03,4000000000,suspended\n") // seats beyond an int: kept whole
                .append(" a_3 ,cus_1,prod2,2026-02-04,0,ACTIVE\n");
        for (int i = 0; i < 200; i++) csv.append("a_").append(4 + i % 3).append(",cus_").append(i % 5).append(",prod")
                .append(i % 2 == 0 ? "" : "2").append(",2026-03-").append(String.format("%02d", 1 + i % 28)).append(',')
                .append(i).append(",active\n");
        Files.writeString(d.resolve("app_accounts.csv"), csv);
        List<Rejection> rejections = new ArrayList<>();
        List<AppAccount> expected = general(d.resolve("app_accounts.csv"), rejections);
        LoadedData data = DataDirectoryLoader.load(d, 2);
        assertSameRows(data.appAccounts(), expected);
        LoadedData.FileStats stats = data.files().get(EntityKind.APP_ACCOUNTS);
        assertThat(stats.rejected()).isEqualTo(rejections.size()).isEqualTo(5);
        assertThat(stats.firstRejections()).isEqualTo(rejections);
        assertThat(data.appAccounts()).extracting(AppAccount::seatsInUse).contains(4_000_000_000L);
        assertThat(data.latestEvent()).isEqualTo(LocalDate.of(2026, 3, 28).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());

        // a quote makes the file one for the general reader: the same rows, still in columns
        Files.writeString(d.resolve("app_accounts.csv"), csv.toString().replace("a_3", "\"a_3\""));
        List<AppAccount> quoted = general(d.resolve("app_accounts.csv"), new ArrayList<>());
        assertSameRows(DataDirectoryLoader.load(d, 2).appAccounts(), quoted);
    }

    @Test
    void chunksJoinInOrderAndRowsThatDoNotFitTheColumnsAreKeptWhole() {
        AppAccountColumns.Builder first = new AppAccountColumns.Builder("app_accounts.csv");
        AppAccountColumns.Builder second = new AppAccountColumns.Builder("app_accounts.csv");
        LocalDate day = LocalDate.of(2026, 1, 1);
        List<AppAccount> rows = List.of(
                new AppAccount("a_2", "cus_2", null, day, 1, "active", RowSource.at("app_accounts.csv", 2)),
                new AppAccount("a_1", "cus_1", "p", day.plusDays(1), 2, "active", RowSource.at("app_accounts.csv", 3)),
                new AppAccount("a_1", "cus_1", "p", day, 3, "revoked", "acct-from-the-store"), // a text source
                new AppAccount("a_1", "cus_3", "p", day, 3, "revoked", RowSource.at("other.csv", 5)), // another file
                new AppAccount("a_3", "cus_1", "q", day, 1, "active", RowSource.at("app_accounts.csv", 3_000_000_000L)),
                new AppAccount("a_1", "cus_4", "p", day.plusDays(9), 7, "suspended", RowSource.at("app_accounts.csv", 9)),
                new AppAccount("a_2", "cus_2", null, day, 0, "active", RowSource.at("app_accounts.csv", 10)));
        for (int i = 0; i < rows.size(); i++) (i < 3 ? first : second).add(rows.get(i));
        AppAccountColumns columns = AppAccountColumns.of("app_accounts.csv", List.of(first, second));
        assertThat(columns).isEqualTo(rows);
        assertThat(columns.get(2).source()).isEqualTo("acct-from-the-store");
        assertThat(columns.get(3).source()).isEqualTo("other.csv:5");
        assertThat(columns.get(4).source()).isEqualTo("app_accounts.csv:3000000000");
        // customers in the order the rows first name them, whichever chunk they are in
        assertThat(columns.customerIds()).containsExactly("cus_2", "cus_1", "cus_3", "cus_4");
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6)).extracting(columns::customerOf).containsExactly(0, 1, 1, 2, 1, 3, 0);
        assertThatThrownBy(() -> columns.get(7)).isInstanceOf(IndexOutOfBoundsException.class);

        // a customer's rows are made once, on first use, and equal the list's
        List<AppAccount> some = columns.rows(new int[] {6, 0, 5}, 0, 2);
        assertThat(some).containsExactly(rows.get(6), rows.get(0));
        assertThat(some.get(1)).isSameAs(some.get(1));
        assertThat(columns.rows(new int[] {1}, 1, 1)).isEmpty();
    }

    @Test
    void theGroupingGivesEveryCustomerTheSameAccountsAsFromRecords() throws IOException {
        Path world = dir.resolve("grouped");
        Generator.generate(GeneratorConfig.of(200, 4, 3), world);
        // customers only the accounts name get the next indexes, in the order the rows first name them
        Files.writeString(world.resolve("app_accounts.csv"), "acct_x,cus_zz9,,2024-02-01,1,active\n"
                + "acct_y,cus_zz1,,2024-02-02,1,active\nacct_x,cus_zz9,,2024-02-02,2,active\n", java.nio.file.StandardOpenOption.APPEND);
        LoadedData columns = DataDirectoryLoader.load(world, 2);
        // the same data with plain records, and an account row of a customer no other file names
        List<AppAccount> records = new ArrayList<>(columns.appAccounts());
        LoadedData plain = new LoadedData(columns.customers(), columns.prices(), columns.subscriptions(),
                columns.subscriptionChanges(), columns.invoices(), columns.invoiceLines(), columns.paymentMethods(),
                columns.payments(), columns.refunds(), columns.creditNotes(), columns.disputes(), columns.usage(),
                records, columns.files(), columns.latestEvent());
        CustomerGrouping fromColumns = new CustomerGrouping(columns), fromRecords = new CustomerGrouping(plain);
        assertThat(fromColumns.size()).isEqualTo(fromRecords.size());
        int withAccounts = 0;
        for (int c = 0; c < fromRecords.size(); c++) {
            assertThat(fromColumns.customerId(c)).isEqualTo(fromRecords.customerId(c));
            CustomerHistory a = fromColumns.history(c), b = fromRecords.history(c);
            assertThat(a.appAccounts()).isEqualTo(b.appAccounts());
            if (!b.appAccounts().isEmpty()) withAccounts++;
        }
        assertThat(withAccounts).isPositive();
        int zz9 = fromRecords.indexOf("cus_zz9"), zz1 = fromRecords.indexOf("cus_zz1");
        assertThat(zz9).isPositive().isLessThan(zz1);
        assertThat(fromColumns.indexOf("cus_zz9")).isEqualTo(zz9);
        assertThat(fromColumns.history(zz9).appAccounts()).hasSize(2);
    }
}
