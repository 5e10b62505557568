package io.leakdetector.app.dashboard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import io.leakdetector.app.api.SummaryController;
import io.leakdetector.app.demo.DemoStore;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreSettings;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The dashboard as a person uses it, in Debian's Chromium against a full server with a small generated company in
 * the store: log in, the overview's numbers against the summary API, filter, a finding with its explanation and SHAP
 * chart, a status change, a CSV upload with progress and counts, the export. One browser and one server for the
 * class; every page is also saved as a screenshot under target/screenshots.
 */
@ServerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);
    static final Path SHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    Browser browser;
    BrowserContext context;
    Page page;
    Http http;

    @BeforeAll
    void start(@TempDir Path world) throws Exception {
        browser = Browser.launch();
        http = new Http(port);
        String url;
        String user;
        try (Connection c = dataSource.getConnection()) {
            url = c.getMetaData().getURL();
            user = c.getMetaData().getUserName();
        }
        DemoStore.build(Store.over(dataSource, new StoreSettings(url, user, null)), world, 40, 4, 7, new PrintWriter(new StringWriter()));
        Files.createDirectories(SHOTS);
        context = browser.context("http://127.0.0.1:" + port);
        page = context.newPage();
    }

    @AfterAll
    void stop() {
        if (context != null) context.close();
        if (browser != null) browser.close();
    }

    void shot(String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true));
    }

    @Test
    @Order(1)
    void wrongPasswordIsRefusedAndTheRightOneLogsIn() {
        page.navigate("/findings");
        assertThat(page).hasURL(Pattern.compile(".*/login$"));
        shot("login");
        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill("not-the-password");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(com.microsoft.playwright.options.AriaRole.ALERT)).containsText("Wrong user name or password");

        page.getByLabel("User name").fill("admin");
        page.getByLabel("Password").fill(ServerTest.ADMIN_PASSWORD);
        page.getByLabel("Password").press("Enter"); // the keyboard alone is enough
        assertThat(page).hasURL(Pattern.compile(".*/findings(\\?continue)?$"));
        assertThat(page.locator("header.top")).containsText("Signed in as admin");
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void overviewNumbersAreTheSummaryApisNumbers() {
        page.navigate("/");
        Map<String, Object> s = (Map<String, Object>) Json.parse(http.get("/api/v1/summary", ADMIN).body());
        Fmt fmt = new Fmt();
        assertThat(page.getByTestId("mrr-leaked")).hasText(fmt.amounts(amounts(s.get("mrr_leaked"))));
        assertThat(page.getByTestId("one-time-leaked")).hasText(fmt.amounts(amounts(s.get("one_time_leaked"))));
        assertThat(page.getByTestId("leaks-this-week")).hasText(String.valueOf(((Map<String, Object>) s.get("leaks_this_week")).get("count")));
        assertThat(page.getByTestId("recovered-this-month")).hasText(String.valueOf(((Map<String, Object>) s.get("recovered_this_month")).get("count")));
        assertThat(page.getByTestId("mrr-leaked")).not().hasText("—");
        long confirmed = jdbc.sql("SELECT COUNT(*) FROM finding_labels WHERE label = 'confirmed'").query(Long.class).single();
        long dismissed = jdbc.sql("SELECT COUNT(*) FROM finding_labels WHERE label = 'dismissed'").query(Long.class).single();
        assertThat(page.getByTestId("false-alarm-rate")).hasText(fmt.percent(100.0 * dismissed / (confirmed + dismissed)));
        // every chart drew (ECharts renders SVG)
        assertThat(page.locator("[data-chart] svg")).hasCount(6);
        shot("overview");
    }

    @Test
    @Order(3)
    void findingsFilterBySearchAndCategory() {
        page.navigate("/findings");
        assertThat(page.locator("#results tbody tr").first()).isVisible();
        shot("findings");
        String category = jdbc.sql("SELECT category FROM findings GROUP BY category ORDER BY COUNT(*) DESC, category FETCH FIRST 1 ROWS ONLY")
                .query(String.class).single();
        long expected = jdbc.sql("SELECT COUNT(*) FROM findings WHERE category = ?").param(category).query(Long.class).single();
        page.locator("#category").selectOption(category); // htmx swaps the results on change
        assertThat(page.getByTestId("findings-total")).hasText(String.valueOf(expected));
        assertThat(page).hasURL(Pattern.compile(".*category=" + category + ".*"));
        List<String> shown = page.locator("#results tbody tr td:nth-child(3)").allTextContents();
        assertThat(shown).isNotEmpty().allSatisfy(t -> assertThat(t.strip()).isEqualTo(new Fmt().words(category)));

        String customer = jdbc.sql("SELECT customer_id FROM findings WHERE customer_id IS NOT NULL ORDER BY id FETCH FIRST 1 ROWS ONLY")
                .query(String.class).single();
        long ofCustomer = jdbc.sql("SELECT COUNT(*) FROM findings WHERE customer_id = ?").param(customer).query(Long.class).single();
        page.locator("#category").selectOption("");
        page.locator("#q").fill(customer);
        page.locator("#q").press("Enter");
        assertThat(page.getByTestId("findings-total")).hasText(String.valueOf(ofCustomer));
    }

    @Test
    @Order(4)
    void exportDownloadsTheCurrentView() throws Exception {
        page.navigate("/findings?status=open");
        long open = jdbc.sql("SELECT COUNT(*) FROM findings WHERE status = 'open'").query(Long.class).single();
        Download d = page.waitForDownload(() -> page.locator("#export").click());
        List<String> lines = Files.readAllLines(d.path(), StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("id,category,kind,status,customer_id");
        assertThat(lines.stream().skip(1).filter(l -> !l.isBlank()).count()).isGreaterThanOrEqualTo(open); // explanations may span lines
        assertThat(lines.stream().skip(1).filter(l -> l.contains(",open,")).count()).isEqualTo(open);
    }

    @Test
    @Order(5)
    void aFindingShowsItsExplanationAndChangesStatus() {
        String id = jdbc.sql("SELECT id FROM findings WHERE status = 'open' AND category <> 'ANOMALY' AND customer_id IN (SELECT customer_id FROM customers) "
                + "ORDER BY score DESC, id FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        String explanation = jdbc.sql("SELECT explanation FROM findings WHERE id = ?").param(id).query(String.class).single();
        page.navigate("/findings");
        page.locator("#q").fill(jdbc.sql("SELECT customer_id FROM findings WHERE id = ?").param(id).query(String.class).single());
        page.locator("#q").press("Enter");
        page.locator("a[href='/findings/" + id + "']").click();
        assertThat(page.getByTestId("explanation")).hasText(explanation);
        assertThat(page.locator("#actions")).isVisible();
        assertThat(page.locator("#timeline-h")).isVisible();
        assertThat(page.locator("tr.subject").first()).isVisible();
        shot("finding");

        page.getByLabel("Comment (kept in the status history)").fill("checked the invoice");
        page.getByTestId("to-acknowledged").click();
        assertThat(page.getByTestId("status")).hasText("Acknowledged");
        assertThat(page.locator("section[aria-labelledby=history-h]")).containsText("open → acknowledged");
        assertThat(http.get("/api/v1/findings/" + id, ADMIN).body()).contains("\"status\":\"acknowledged\"");
        page.getByTestId("label-confirm").click();
        assertThat(page.locator(".flash.ok")).hasText("Labelled confirmed.");

        // a remediation action that waits for approval, then cancelled: the page and the API agree
        page.locator("#action-type").selectOption("alert_team");
        page.getByTestId("start-action").getByLabel("needs approval").check();
        page.getByTestId("start-action").getByText("Start").click();
        assertThat(page.locator(".flash.ok")).hasText("Alert team is waiting for approval.");
        assertThat(page.getByTestId("action-list")).containsText("Pending approval");
        assertThat(http.get("/api/v1/findings/" + id + "/actions", ADMIN).body()).contains("\"pending_approval\"");
        shot("finding-actions");
        page.getByTestId("action-list").getByText("Cancel").click();
        assertThat(page.locator(".flash.ok")).hasText("Alert team cancelled.");
        assertThat(page.getByTestId("action-list")).containsText("Cancelled");
        assertThat(http.get("/api/v1/findings/" + id + "/actions", ADMIN).body()).contains("\"cancelled\"");
    }

    @Test
    @Order(6)
    void anMlFindingShowsItsShapWaterfall() {
        String id = jdbc.sql("SELECT id FROM findings WHERE category = 'ANOMALY' ORDER BY score DESC, id FETCH FIRST 1 ROWS ONLY")
                .query(String.class).single();
        page.navigate("/findings/" + id);
        assertThat(page.getByTestId("explanation")).containsText("Unusual invoice");
        assertThat(page.locator("#shap-chart svg")).isVisible();
        assertThat(page.locator("#shap-chart")).containsText("baseline");
        shot("finding-shap");
    }

    @Test
    @Order(7)
    void bulkStatusChangeOnTheSelectedRows() {
        page.navigate("/findings?status=open&sort=-amount_one_time");
        Locator boxes = page.locator("input[name=ids]");
        String first = boxes.nth(0).getAttribute("value");
        String second = boxes.nth(1).getAttribute("value");
        boxes.nth(0).check();
        boxes.nth(1).check();
        page.locator("#bulk-status").selectOption("in_remediation");
        page.locator("#bulk-apply").click();
        assertThat(page.locator(".flash.ok")).containsText("2 findings set to in remediation");
        for (String id : List.of(first, second)) {
            assertThat(jdbc.sql("SELECT status FROM findings WHERE id = ?").param(id).query(String.class).single()).isEqualTo("in_remediation");
        }
    }

    @Test
    @Order(8)
    void csvUploadShowsProgressAndCounts() {
        StringBuilder csv = new StringBuilder("customer_id,name,email,segment,region,country,currency,created_at\n");
        for (int i = 0; i < 300; i++) {
            csv.append("cus_up_").append(i).append(",Upload ").append(i).append(",u").append(i).append("@x.example,smb,EU,DE,EUR,2025-03-01T00:00:00Z\n");
        }
        csv.append("cus_up_bad,Bad Row,b@x.example,smb,EU,DE,NOTACURRENCY,2025-03-01T00:00:00Z\n");
        page.navigate("/imports");
        shot("imports");
        page.locator("#file").setInputFiles(new FilePayload("customers.csv", "text/csv", csv.toString().getBytes(StandardCharsets.UTF_8)));
        page.locator("#entity").selectOption("customers");
        page.locator("#upload").click();
        assertThat(page).hasURL(Pattern.compile(".*/imports/imp_[0-9a-f]+$"));
        assertThat(page.getByTestId("progress")).isVisible();
        assertThat(page.getByTestId("job-status")).hasText("completed", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(60_000));
        assertThat(page.getByTestId("progress")).hasAttribute("value", "100");
        assertThat(page.getByTestId("count-read")).hasText("301");
        assertThat(page.getByTestId("count-imported")).hasText("300");
        assertThat(page.getByTestId("count-rejected")).hasText("1");
        shot("import");
        Download d = page.waitForDownload(() -> page.locator("#rejected").click());
        try {
            assertThat(Files.readString(d.path())).contains("cus_up_bad");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @Order(9)
    void customerAndSettingsPages() {
        String customer = jdbc.sql("SELECT f.customer_id FROM findings f JOIN customers c ON c.customer_id = f.customer_id "
                + "GROUP BY f.customer_id ORDER BY COUNT(*) DESC, f.customer_id FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        page.navigate("/customers/" + customer);
        assertThat(page.locator("h1")).isVisible();
        assertThat(page.locator("#tl-h")).isVisible();
        shot("customer");

        page.navigate("/settings");
        page.locator("#k-name").fill("browser-test key");
        page.locator("#k-role").selectOption("viewer");
        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
        String key = page.getByTestId("new-key").textContent().strip();
        assertThat(key).startsWith("ldk_");
        assertThat(http.get("/api/v1/summary", Http.bearer(key)).status()).isEqualTo(200);
        assertThat(page.locator("table").first()).containsText("admin");

        // a threshold: a bad value is refused naming the setting, a good one saved, stored and shown
        Locator horizon = page.locator("[name='expiringPaymentMethod.horizonDays']");
        horizon.fill("soon");
        page.locator("#save-settings").click();
        assertThat(page.locator(".flash.error")).containsText("expiringPaymentMethod.horizonDays");
        assertThat(page.locator("[name='expiringPaymentMethod.horizonDays']")).hasAttribute("aria-invalid", "true");
        page.locator("[name='expiringPaymentMethod.horizonDays']").fill("45");
        page.locator("#save-settings").click();
        assertThat(page.locator(".flash.ok")).containsText("expiringPaymentMethod.horizonDays: 366 → 45");
        assertThat(page.locator("[name='expiringPaymentMethod.horizonDays']")).hasValue("45");
        try {
            assertThat(http.get("/api/v1/settings/detectors", ADMIN).body()).contains("\"value\":\"45\"");
            assertThat(jdbc.sql("SELECT setting_value FROM detector_settings WHERE setting_key = 'expiringPaymentMethod.horizonDays'")
                    .query(String.class).single()).isEqualTo("45");
            shot("settings");
        } finally {
            http.send("PATCH", "/api/v1/settings/detectors", ADMIN, "application/json", "{\"expiringPaymentMethod.horizonDays\": 366}");
        }
    }

    @Test
    @Order(10)
    @SuppressWarnings("unchecked")
    void recoveredRevenuePerMonthFollowsARecovery() {
        String id = jdbc.sql("SELECT id FROM findings WHERE status = 'open' AND kind = 'leak' AND amount_one_time_minor > 0 "
                + "ORDER BY id FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        assertThat(http.post("/api/v1/findings/" + id + "/status", ADMIN, "{\"status\":\"recovered\",\"comment\":\"paid by wire\"}").status())
                .isEqualTo(200);
        page.navigate("/");
        Map<String, Object> s = (Map<String, Object>) Json.parse(http.get("/api/v1/summary", ADMIN).body());
        Object count = ((Map<String, Object>) s.get("recovered_this_month")).get("count");
        assertThat(((Number) count).longValue()).isPositive();
        Locator thisMonth = page.getByTestId("recovered-monthly").locator("tbody tr").last();
        assertThat(thisMonth.locator("td").nth(0)).hasText(java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString());
        assertThat(thisMonth.locator("td").nth(1)).hasText(String.valueOf(count));
        assertThat(thisMonth.locator("td").nth(2)).hasText(new Fmt().amounts(amounts(((Map<String, Object>) s.get("recovered_this_month")).get("one_time"))));
    }

    @SuppressWarnings("unchecked")
    private static List<SummaryController.Amount> amounts(Object list) {
        List<SummaryController.Amount> out = new ArrayList<>();
        for (Object o : (List<Object>) list) {
            Map<String, Object> m = (Map<String, Object>) o;
            out.add(new SummaryController.Amount((String) m.get("currency"), (String) m.get("amount")));
        }
        return out;
    }
}
