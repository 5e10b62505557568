package io.leakdetector.app.bench;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.ingest.Importer;
import io.leakdetector.app.serve.ServeCommand;
import io.leakdetector.app.store.FindingChanges;
import io.leakdetector.app.store.Store;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import java.io.PrintWriter;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leak-detector bench pages}: a generated company in a fresh store (H2 or PostgreSQL), detected, its findings
 * multiplied to {@code --findings} (copies of the detected ones with their own ids, statuses and dates, so the table
 * has the size to page through), then the server started and every dashboard page requested by a logged-in client:
 * warm-up, then {@code --requests} sequential requests per page; p50, p95 and max per page.
 */
@Command(name = "pages", mixinStandardHelpOptions = true,
        description = {"Measures p50/p95 latency of every dashboard page over a generated store.",
                "PostgreSQL: LEAK_DB_URL (+ LEAK_DB_USER, LEAK_DB_PASSWORD), else LEAK_TEST_PG_URL, else"
                        + " jdbc:postgresql://127.0.0.1:5432/test as postgres; a new schema, dropped after."})
public final class PageBench implements Callable<Integer> {
    @Option(names = "--customers", paramLabel = "N", defaultValue = "2000", description = "generated customers (default 2000)")
    int customers;

    @Option(names = "--months", paramLabel = "M", defaultValue = "12", description = "months of history (default 12)")
    int months;

    @Option(names = "--findings", paramLabel = "F", defaultValue = "50000", description = "findings in the store (default 50000)")
    int findings;

    @Option(names = "--db", paramLabel = "h2|postgres", defaultValue = "h2", description = "store (default h2)")
    String db;

    @Option(names = "--requests", paramLabel = "R", defaultValue = "40", description = "measured requests per page (default 40)")
    int requests;

    @Option(names = "--data", paramLabel = "DIR", description = "H2 only: build the store in DIR and keep it; a DIR that already holds one is measured as it is")
    Path data;

    @Option(names = "--store-url", paramLabel = "JDBC-URL", description = "PostgreSQL only: measure the store at this URL as it is"
            + " (built before with import and detect; user and password from LEAK_DB_USER/LEAK_DB_PASSWORD); its findings are"
            + " multiplied up to --findings when fewer; nothing is dropped")
    String storeUrl;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!db.equals("h2") && !db.equals("postgres")) throw new IllegalArgumentException("--db must be h2 or postgres");
        Path work = Files.createTempDirectory("leak-page-bench-");
        if (data != null && !db.equals("h2")) throw new IllegalArgumentException("--data is for --db h2");
        if (storeUrl != null && !db.equals("postgres")) throw new IllegalArgumentException("--store-url is for --db postgres");
        boolean reuse = data != null && Files.exists(data.resolve("leak-detector.mv.db")) || storeUrl != null;
        try (ImportBench.BenchStore bench = storeUrl != null ? ImportBench.BenchStore.existing(storeUrl)
                : ImportBench.BenchStore.create(db, data != null ? data : work.resolve("data"))) {
            long invoices;
            if (reuse) {
                try (Store store = Store.open(bench.settings)) {
                    JdbcClient jdbc = JdbcClient.create(store.dataSource());
                    long t0 = System.nanoTime();
                    multiply(store, jdbc, findings);
                    out.printf(Locale.ROOT, "store: reusing %s: %d customers, %d invoices, %d findings (multiplying took %.0f s)%n",
                            storeUrl != null ? storeUrl : data, jdbc.sql("SELECT COUNT(*) FROM customers").query(Long.class).single(),
                            jdbc.sql("SELECT COUNT(*) FROM invoices").query(Long.class).single(),
                            jdbc.sql("SELECT COUNT(*) FROM findings").query(Long.class).single(), (System.nanoTime() - t0) / 1e9);
                    out.flush();
                }
            } else try (Store store = Store.open(bench.settings)) {
                long t0 = System.nanoTime();
                Path world = work.resolve("world");
                Generator.Summary g = Generator.generate(GeneratorConfig.of(customers, months, 1), world);
                new Importer(store, Importer.DEFAULT_BATCH_SIZE, Importer.Listener.NONE).importDirectory(world);
                StoreDetection.Result d = new StoreDetection(store.dataSource()).run(null);
                JdbcClient jdbc = JdbcClient.create(store.dataSource());
                invoices = jdbc.sql("SELECT COUNT(*) FROM invoices").query(Long.class).single();
                multiply(store, jdbc, findings);
                long total = jdbc.sql("SELECT COUNT(*) FROM findings").query(Long.class).single();
                out.printf(Locale.ROOT, "store (%s): %d customers, %d invoices, %d findings (%d detected as of %s); built in %.0f s%n",
                        db, customers, invoices, total, d.findings(), g.asOf(), (System.nanoTime() - t0) / 1e9);
                out.flush();
            }
            if (reuse) {
                // a kept store has the admin of an earlier run: let the server create it again with this run's password
                try (Store store = Store.open(bench.settings)) {
                    JdbcClient.create(store.dataSource()).sql("DELETE FROM app_user WHERE username = 'admin'").update();
                }
            }
            String password = "bench-password-" + Long.toHexString(System.nanoTime());
            ConfigurableApplicationContext ctx = ServeCommand.start(bench.settings, 0, "--leak.security.admin-password=" + password,
                    "--logging.level.root=WARN");
            try {
                int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
                measure(out, "http://127.0.0.1:" + port, password, JdbcClient.create(ctx.getBean(javax.sql.DataSource.class)));
            } finally {
                ctx.close();
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /** Copies of the detected findings until the store holds {@code target}: own id and subject, status and week varied. */
    static void multiply(Store store, JdbcClient jdbc, int target) {
        FindingRepository repo = new FindingRepository(jdbc);
        List<Finding> base = repo.query("", " ORDER BY id", List.of());
        if (base.isEmpty() || base.size() >= target) return;
        long have = base.size();
        FindingStatus[] statuses = FindingStatus.values();
        List<Finding> batch = new ArrayList<>();
        for (int k = 1; have < target; k++) {
            for (Finding f : base) {
                if (have >= target) break;
                int n = (int) have;
                Instant at = f.detectedAt().minus((long) (n % 52) * 7, ChronoUnit.DAYS);
                batch.add(new Finding(f.id() + "~" + k, f.category(), f.kind(), f.subject() + "~" + k, f.customerId(), f.amountOneTime(),
                        f.amountMonthlyRecurring(), f.currency(), Math.min(1, Math.max(0, f.score() - (n % 97) / 1000.0)), null, at,
                        f.evidence(), f.explanation(), f.recommendedAction(), statuses[n % 3 == 0 ? n % statuses.length : 0], f.matchedRules()));
                have++;
                if (batch.size() == 2000) {
                    List<Finding> b = List.copyOf(batch);
                    store.tx().executeWithoutResult(s -> repo.save(b));
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) store.tx().executeWithoutResult(s -> repo.save(batch));
    }

    private void measure(PrintWriter out, String base, String password, JdbcClient jdbc) throws Exception {
        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        login(client, base, password);
        String rule = jdbc.sql("SELECT id FROM findings WHERE category <> 'ANOMALY' ORDER BY score DESC, id FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        String customer = jdbc.sql("SELECT customer_id FROM findings WHERE customer_id IS NOT NULL ORDER BY score DESC, id FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        String category = jdbc.sql("SELECT category FROM findings GROUP BY category ORDER BY COUNT(*) DESC FETCH FIRST 1 ROWS ONLY").query(String.class).single();
        List<String> bulk = jdbc.sql("SELECT id FROM findings ORDER BY id FETCH FIRST " + BULK + " ROWS ONLY").query(String.class).list();
        String deep = deepCursor(client, base, 20);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", "/");
        pages.put("overview, filtered", "/?category=" + category + "&status=all&segment=smb");
        pages.put(AFTER_WRITE, "/");
        pages.put(AFTER_BULK, "/");
        pages.put("findings", "/findings");
        pages.put("findings, status+category", "/findings?status=open&category=" + category);
        pages.put("findings, by amount", "/findings?sort=-amount_one_time");
        pages.put("findings, page 21", "/findings?cursor=" + deep);
        pages.put("findings, search", "/findings?q=" + URLEncoder.encode(customer, StandardCharsets.UTF_8));
        pages.put("finding", "/findings/" + URLEncoder.encode(rule, StandardCharsets.UTF_8));
        pages.put("customer", "/customers/" + URLEncoder.encode(customer, StandardCharsets.UTF_8));
        pages.put("imports", "/imports");
        pages.put("settings", "/settings");
        out.printf(Locale.ROOT, "%-28s %9s %9s %9s %9s   (%d requests each after %d warm-up, one client; load average %s)%n",
                "page", "p50 ms", "p95 ms", "max ms", "CPU ms", requests, Math.max(5, requests / 4), loadAverage());
        for (var e : pages.entrySet()) {
            // the first view after a write to findings (a status change, a detection): the cache's miss
            List<String> written = e.getKey().equals(AFTER_WRITE) ? List.of(rule) : e.getKey().equals(AFTER_BULK) ? bulk : List.of();
            for (int i = 0; i < Math.max(5, requests / 4); i++) {
                FindingChanges.mark(written);
                get(client, base + e.getValue());
            }
            double[] ms = new double[requests];
            long cpu0 = processCpuNanos();
            for (int i = 0; i < requests; i++) {
                FindingChanges.mark(written);
                long t = System.nanoTime();
                get(client, base + e.getValue());
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            double cpuMs = (processCpuNanos() - cpu0) / 1e6 / requests;
            Arrays.sort(ms);
            out.printf(Locale.ROOT, "%-28s %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), pct(ms, 50), pct(ms, 95), ms[ms.length - 1], cpuMs);
            out.flush();
        }
    }

    /**
     * The overview requested right after a write to one finding each time: the finding marked written, which bumps the
     * data version, as {@code FindingRepository} does on a status change or a real-time event (the row itself is left
     * as it is: the store is not changed, and the write's own cost is not part of the view's).
     */
    static final String AFTER_WRITE = "overview, after a write";
    /** The same after {@link #BULK} findings written at once (a detection, a bulk status change). */
    static final String AFTER_BULK = "overview, after 1,000 written";
    static final int BULK = 1000;

    private static String deepCursor(HttpClient client, String base, int pages) throws Exception {
        String cursor = null;
        Pattern next = Pattern.compile("id=\"next-page\" href=\"[^\"]*cursor=([A-Za-z0-9_-]+)\"");
        for (int i = 0; i < pages; i++) {
            String body = get(client, base + "/findings" + (cursor == null ? "" : "?cursor=" + cursor));
            Matcher m = next.matcher(body);
            if (!m.find()) break;
            cursor = m.group(1);
        }
        return cursor == null ? "" : cursor;
    }

    private static void login(HttpClient client, String base, String password) throws Exception {
        String page = get(client, base + "/login");
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        if (!m.find()) throw new IllegalStateException("no CSRF token on the login page");
        String form = "username=admin&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + m.group(1);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 302 || r.headers().firstValue("Location").orElse("").contains("error")) {
            throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.headers().map());
        }
    }

    private static String get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
        return r.body();
    }

    private static double pct(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** CPU time of this whole process (server and client): per request, the machine's load does not inflate it. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
