package io.leakdetector.app.remediation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.leakdetector.app.LeakDetectorApplication;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.TestStore;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.util.Json;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Remediation over a real server with real integration servers started here: WireMock stands in for Stripe, Jira,
 * Zendesk, Slack and a webhook subscriber (including 500s and timeouts, which are retried and never duplicated),
 * GreenMail for SMTP. Its own store (H2 in memory, or a fresh PostgreSQL schema under leak.test.store=postgres), so
 * its job scheduler works alone.
 */
@SpringBootTest(classes = LeakDetectorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"leak.security.admin-password=" + RemediationServerTest.ADMIN_PASSWORD})
@ExtendWith(OutputCaptureExtension.class)
class RemediationServerTest {
    static final String ADMIN_PASSWORD = "admin-secret-rem";
    static final String ADMIN = Http.basic("admin", ADMIN_PASSWORD);
    static final String STRIPE_KEY = "sk_test_SECRETstripe4242";
    static final String JIRA_TOKEN = "jira-SECRET-token-77";
    static final String ZENDESK_TOKEN = "zendesk-SECRET-token-88";
    static final String TICKET_SECRET = "tw-SECRET-99";
    static final WireMockServer wire = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    static final GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());

    static {
        wire.start();
        mail.start();
    }

    @AfterAll
    static void stop() {
        wire.stop();
        mail.stop();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        String base = "http://127.0.0.1:" + wire.port();
        r.add("spring.datasource.url", RemediationServerTest::databaseUrl);
        r.add("spring.datasource.username", () -> postgres() ? TestStore.pgUser() : "sa");
        r.add("spring.datasource.password", () -> postgres() ? TestStore.pgPassword() : "");
        r.add("spring.mail.host", () -> "127.0.0.1");
        r.add("spring.mail.port", () -> mail.getSmtp().getPort());
        r.add("leak.remediation.stripe-api-key", () -> STRIPE_KEY);
        r.add("leak.remediation.stripe-api-base", () -> base + "/stripe");
        r.add("leak.remediation.stripe-timeout-millis", () -> 1000);
        r.add("leak.remediation.jira-base-url", () -> base + "/jira");
        r.add("leak.remediation.jira-email", () -> "ops@example.com");
        r.add("leak.remediation.jira-api-token", () -> JIRA_TOKEN);
        r.add("leak.remediation.jira-project-key", () -> "LD");
        r.add("leak.remediation.zendesk-base-url", () -> base + "/zendesk");
        r.add("leak.remediation.zendesk-email", () -> "ops@example.com");
        r.add("leak.remediation.zendesk-api-token", () -> ZENDESK_TOKEN);
        r.add("leak.remediation.ticket-webhook-url", () -> base + "/tickets");
        r.add("leak.remediation.ticket-webhook-secret", () -> TICKET_SECRET);
        r.add("leak.remediation.slack-webhook-url", () -> base + "/slack/T000/B000/XXXX");
        r.add("leak.remediation.team-email", () -> "team@example.com");
        r.add("leak.remediation.max-retries", () -> 5);
        r.add("leak.remediation.backoff-seconds", () -> 1);
        r.add("leak.remediation.http-timeout-millis", () -> 1000);
        r.add("db-scheduler.polling-interval", () -> "200ms");
    }

    private static String databaseUrl;

    static boolean postgres() {
        return TestStore.postgres();
    }

    /** A store of its own: H2 in memory, or a new schema on the test PostgreSQL (dropped at exit). */
    static synchronized String databaseUrl() {
        if (databaseUrl != null) return databaseUrl;
        if (!postgres()) return databaseUrl = "jdbc:h2:mem:remediation-tests;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try {
            return databaseUrl = TestStore.newPostgresSchema("rem_");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("PostgreSQL tests need a server at " + TestStore.pgUrl() + ": " + e.getMessage(), e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RemediationService service;

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    Finding failed(String invoice, String decline) {
        String customer = "cus_" + invoice;
        RemediationFixtures.customer(jdbc, customer, customer + "@example.com");
        return RemediationFixtures.failedPayment(jdbc, invoice, customer, decline);
    }

    RemediationAction awaitFinished(String actionId) throws InterruptedException {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            RemediationAction a = service.action(actionId).orElseThrow();
            if (a.status().finished()) return a;
            Thread.sleep(100);
        }
        throw new AssertionError("action " + actionId + " did not finish: " + service.action(actionId));
    }

    static <T> T await(Supplier<T> s, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        T v = s.get();
        while (!done.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            v = s.get();
        }
        return v;
    }

    Map<String, Object> start(String findingId, String body) {
        Http.Response r = new Http(port).post("/api/v1/findings/" + findingId + "/actions", ADMIN, body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return json(r.body());
    }

    @Test
    void aPaymentRetryThatMeets500AndATimeoutIsRetriedWithOneIdempotencyKeyAndRecoversTheFinding(CapturedOutput output) throws Exception {
        Finding f = failed("in_srv_pay", "insufficient_funds");
        String path = "/stripe/v1/invoices/in_srv_pay/pay";
        wire.stubFor(post(urlEqualTo(path)).inScenario("pay").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("{\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"))
                .willSetStateTo("slow"));
        wire.stubFor(post(urlEqualTo(path)).inScenario("pay").whenScenarioStateIs("slow")
                .willReturn(aResponse().withStatus(200).withFixedDelay(2500).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"in_srv_pay\",\"object\":\"invoice\",\"status\":\"paid\",\"amount_paid\":4900}"))
                .willSetStateTo("answered"));
        wire.stubFor(post(urlEqualTo(path)).inScenario("pay").whenScenarioStateIs("answered")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"in_srv_pay\",\"object\":\"invoice\",\"status\":\"paid\",\"amount_paid\":4900}")));

        Map<String, Object> started = start(f.id(), "{\"action\":\"retry_payment\"}");
        RemediationAction done = awaitFinished((String) started.get("id"));

        assertThat(done.status()).as(done.outcome()).isEqualTo(ActionStatus.SUCCEEDED);
        List<LoggedRequest> sent = wire.findAll(postRequestedFor(urlEqualTo(path)));
        assertThat(sent).hasSize(3);
        assertThat(sent.stream().map(r -> r.getHeader("Idempotency-Key")).collect(Collectors.toSet()))
                .containsExactly(f.id() + ":retry_payment:1");
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer " + STRIPE_KEY);
        assertThat(jdbc.sql("SELECT status FROM findings WHERE id = ?").param(f.id()).query(String.class).single()).isEqualTo("recovered");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND action = 'action.retry'").param(done.id())
                .query(Long.class).single()).isEqualTo(2L);
        // the second retry of the same finding gets the next attempt's key — but the finding is recovered now: 409
        Http.Response again = new Http(port).post("/api/v1/findings/" + f.id() + "/actions", ADMIN, "{\"action\":\"retry_payment\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).contains("application/problem+json");
        assertThat(output.getAll()).doesNotContain(STRIPE_KEY).doesNotContain(JIRA_TOKEN).doesNotContain(ZENDESK_TOKEN)
                .doesNotContain(TICKET_SECRET);
    }

    @Test
    void aHardDeclineIsNeverRetried() {
        Finding f = failed("in_srv_hard", "expired_card");
        Http.Response r = new Http(port).post("/api/v1/findings/" + f.id() + "/actions", ADMIN, "{\"action\":\"retry_payment\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(json(r.body()).get("detail").toString()).contains("only for soft declines");
        assertThat(wire.findAll(postRequestedFor(urlEqualTo("/stripe/v1/invoices/in_srv_hard/pay")))).isEmpty();
    }

    @Test
    void aJiraCreateThatTimedOutIsFoundByItsLabelInsteadOfCreatedTwice() throws Exception {
        Finding f = failed("in_srv_jira", "generic_decline");
        wire.stubFor(post(urlEqualTo("/jira/rest/api/3/search/jql")).inScenario("jira").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withBody("{\"issues\":[]}")));
        wire.stubFor(post(urlEqualTo("/jira/rest/api/3/issue")).inScenario("jira").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withFixedDelay(2500).withBody("{\"id\":\"10001\",\"key\":\"LD-1\"}"))
                .willSetStateTo("created"));
        wire.stubFor(post(urlEqualTo("/jira/rest/api/3/search/jql")).inScenario("jira").whenScenarioStateIs("created")
                .willReturn(aResponse().withStatus(200).withBody("{\"issues\":[{\"id\":\"10001\",\"key\":\"LD-1\"}]}")));

        RemediationAction done = awaitFinished((String) start(f.id(), "{\"action\":\"create_ticket\",\"target\":\"jira\"}").get("id"));

        assertThat(done.status()).as(done.outcome()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(done.externalRef()).isEqualTo("jira:LD-1");
        assertThat(wire.findAll(postRequestedFor(urlEqualTo("/jira/rest/api/3/issue")))).hasSize(1);
        LoggedRequest create = wire.findAll(postRequestedFor(urlEqualTo("/jira/rest/api/3/issue"))).get(0);
        assertThat(create.getBodyAsString()).contains("\"project\":{\"key\":\"LD\"}").contains("in_srv_jira");
        assertThat(create.getHeader("Authorization")).startsWith("Basic ");
    }

    @Test
    void aZendeskTicketAfterA500IsCreatedOnceWithTheKeyAsExternalId() throws Exception {
        Finding f = failed("in_srv_zd", "generic_decline");
        wire.stubFor(get(urlPathEqualTo("/zendesk/api/v2/tickets.json")).willReturn(aResponse().withStatus(200).withBody("{\"tickets\":[]}")));
        wire.stubFor(post(urlEqualTo("/zendesk/api/v2/tickets.json")).inScenario("zd").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        wire.stubFor(post(urlEqualTo("/zendesk/api/v2/tickets.json")).inScenario("zd").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withBody("{\"ticket\":{\"id\":4242}}")).willSetStateTo("done"));

        RemediationAction done = awaitFinished((String) start(f.id(), "{\"action\":\"create_ticket\",\"target\":\"zendesk\"}").get("id"));

        assertThat(done.status()).as(done.outcome()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(done.externalRef()).isEqualTo("zendesk:4242");
        List<LoggedRequest> creates = wire.findAll(postRequestedFor(urlEqualTo("/zendesk/api/v2/tickets.json")));
        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).getBodyAsString()).contains("\"external_id\":\"" + done.idempotencyKey() + "\"");
    }

    @Test
    void theGenericTicketWebhookGetsTheSameKeyOnItsRetryAndASignature() throws Exception {
        Finding f = failed("in_srv_tw", "generic_decline");
        wire.stubFor(post(urlEqualTo("/tickets")).inScenario("tw").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("ok"));
        wire.stubFor(post(urlEqualTo("/tickets")).inScenario("tw").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(202)));

        RemediationAction done = awaitFinished((String) start(f.id(), "{\"action\":\"create_ticket\",\"target\":\"webhook\"}").get("id"));

        assertThat(done.status()).as(done.outcome()).isEqualTo(ActionStatus.SUCCEEDED);
        List<LoggedRequest> posts = wire.findAll(postRequestedFor(urlEqualTo("/tickets")));
        assertThat(posts).hasSize(2);
        assertThat(posts.stream().map(r -> r.getHeader("Idempotency-Key")).collect(Collectors.toSet())).containsExactly(done.idempotencyKey());
        LoggedRequest last = posts.get(1);
        assertThat(last.getHeader("X-Leak-Signature"))
                .isEqualTo("v1=" + Hmac.sign(TICKET_SECRET, last.getHeader("X-Leak-Timestamp") + "." + last.getBodyAsString()));
        assertThat(json(last.getBodyAsString())).containsKey("finding");
    }

    @Test
    void aTeamAlertPostsToSlackOnceAfterA500AndEmailsTheTeam() throws Exception {
        Finding f = failed("in_srv_slack", "generic_decline");
        String slack = "/slack/T000/B000/XXXX";
        wire.stubFor(post(urlEqualTo(slack)).inScenario("slack").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("ok"));
        wire.stubFor(post(urlEqualTo(slack)).inScenario("slack").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200).withBody("ok")));
        int mailsBefore = mail.getReceivedMessages().length;

        RemediationAction done = awaitFinished((String) start(f.id(), "{\"action\":\"alert_team\"}").get("id"));

        assertThat(done.status()).as(done.outcome()).isEqualTo(ActionStatus.SUCCEEDED);
        List<LoggedRequest> posts = wire.findAll(postRequestedFor(urlEqualTo(slack)).withRequestBody(matching(".*in_srv_slack.*")));
        assertThat(posts).hasSize(2); // one 500, one delivered
        MimeMessage[] team = await(() -> mail.getReceivedMessagesForDomain("team@example.com"), m -> m.length > 0);
        assertThat(mail.getReceivedMessages().length - mailsBefore).isEqualTo(1);
        assertThat(team[team.length - 1].getSubject()).contains("FAILED_PAYMENT");
    }

    @Test
    void aCustomerIsEmailedFromTheTemplateTheAdminEdited() throws Exception {
        Finding f = failed("in_srv_mail", "insufficient_funds");
        Http http = new Http(port);
        Http.Response put = http.send("PUT", "/api/v1/admin/templates/payment_failed", ADMIN, "application/json",
                "{\"subject\":\"About invoice {{invoice_id}}\",\"body\":\"Hi {{customer_name}}, {{amount}} is open.\"}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Http.Response asAnalystless = http.send("PUT", "/api/v1/admin/templates/payment_failed", null, "application/json", "{}");
        assertThat(asAnalystless.status()).isEqualTo(401);

        RemediationAction done = awaitFinished((String) start(f.id(), "{\"action\":\"notify_customer\"}").get("id"));

        assertThat(done.status()).as(done.outcome()).isEqualTo(ActionStatus.SUCCEEDED);
        MimeMessage[] got = await(() -> mail.getReceivedMessagesForDomain("cus_in_srv_mail@example.com"), m -> m.length > 0);
        assertThat(got).hasSize(1);
        assertThat(got[0].getSubject()).isEqualTo("About invoice in_srv_mail");
        assertThat(got[0].getContent().toString()).contains("Hi Customer cus_in_srv_mail, $49.00 is open.".replace("$49.00", f.amountOneTime().format()));
        assertThat(got[0].getMessageID()).isEqualTo("<" + f.id() + ".notify_customer.1@leak-detector>");
    }

    @Test
    void subscribersGetSignedActionCompletedEvents() throws Exception {
        wire.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
        Http http = new Http(port);
        Http.Response sub = http.post("/api/v1/admin/webhooks", ADMIN, "{\"url\":\"http://127.0.0.1:" + wire.port() + "/hook\",\"events\":[\"action.completed\"]}");
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        String secret = (String) json(sub.body()).get("secret");
        assertThat(http.get("/api/v1/admin/webhooks", ADMIN).body()).doesNotContain(secret);
        Finding f = failed("in_srv_hook", "generic_decline");

        RemediationAction done = awaitFinished((String) start(f.id(), "{\"action\":\"mark_dismissed\"}").get("id"));
        assertThat(done.status()).isEqualTo(ActionStatus.SUCCEEDED);

        List<LoggedRequest> hooks = await(() -> wire.findAll(postRequestedFor(urlEqualTo("/hook")).withRequestBody(matching(".*" + done.id() + ".*"))),
                l -> !l.isEmpty());
        // at-least-once: a delivery that timed out under load is sent again, always as the same delivery
        assertThat(hooks.stream().map(r -> r.getHeader("X-Leak-Delivery")).distinct()).hasSize(1);
        LoggedRequest h = hooks.get(0);
        assertThat(h.getHeader("X-Leak-Event")).isEqualTo("action.completed");
        String expected = "v1=" + Hmac.sign(secret, h.getHeader("X-Leak-Timestamp") + "." + h.getBodyAsString());
        assertThat(h.getHeader("X-Leak-Signature")).isEqualTo(expected);
        assertThat(jdbc.sql("SELECT status FROM findings WHERE id = ?").param(f.id()).query(String.class).single()).isEqualTo("dismissed");
    }

    @Test
    void anActionWaitingForApprovalCanBeCancelledAndEveryStepIsAudited() {
        Finding f = failed("in_srv_appr", "generic_decline");
        Map<String, Object> a = start(f.id(), "{\"action\":\"create_ticket\",\"target\":\"jira\",\"needs_approval\":true}");
        assertThat(a.get("status")).isEqualTo("pending_approval");
        Http http = new Http(port);
        Http.Response cancel = http.post("/api/v1/actions/" + a.get("id") + "/cancel", ADMIN, "{}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(json(cancel.body()).get("status")).isEqualTo("cancelled");
        assertThat(http.post("/api/v1/actions/" + a.get("id") + "/approve", ADMIN, "{}").status()).isEqualTo(409);
        Map<String, Object> list = json(http.get("/api/v1/findings/" + f.id() + "/actions", ADMIN).body());
        assertThat((List<?>) list.get("items")).hasSize(1);
        Set<String> audited = Set.copyOf(jdbc.sql("SELECT action FROM audit_log WHERE entity_id IN (?, ?)").params(a.get("id"), f.id())
                .query(String.class).list());
        assertThat(audited).contains("action.create", "action.cancel", "finding.status");
        assertThat(http.get("/api/v1/findings/nope/actions", ADMIN).status()).isEqualTo(404);
    }

    @Test
    void aPaymentArrivingByApiIngestRecoversTheFindingAndCountsThisMonth() throws Exception {
        Finding f = failed("in_srv_rec", "insufficient_funds");
        Http http = new Http(port);
        Http.Response r = http.post("/api/v1/entities/payments", ADMIN, "{\"payment_id\":\"py_srv_rec_ok\",\"invoice_id\":\"in_srv_rec\","
                + "\"customer_id\":\"cus_in_srv_rec\",\"attempted_at\":\"2026-03-20T00:00:00Z\",\"currency\":\"USD\",\"amount\":\"49.00\","
                + "\"status\":\"succeeded\",\"attempt\":\"2\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT status FROM findings WHERE id = ?").param(f.id()).query(String.class).single()).isEqualTo("recovered");
        assertThat(jdbc.sql("SELECT amount_minor FROM recoveries WHERE finding_id = ?").param(f.id()).query(Long.class).single()).isEqualTo(4900L);
        assertThat(jdbc.sql("SELECT source FROM recoveries WHERE finding_id = ?").param(f.id()).query(String.class).single()).isEqualTo("payment");
        Http.Response series = http.get("/api/v1/summary/recovered?months=60", ADMIN);
        assertThat(series.status()).isEqualTo(200);
        assertThat(series.body()).contains("\"month\":\"2026-03\"");
        assertThat(http.get("/api/v1/summary/recovered?months=0", ADMIN).status()).isEqualTo(400);
    }

    @Test
    void aPaymentArrivingAsARealTimeEventRecoversTheFinding() {
        Finding f = failed("in_srv_rt", "try_again_later");
        Http.Response r = new Http(port).post("/api/v1/events", ADMIN, "{\"event_id\":\"evt_srv_rt\",\"type\":\"payment.succeeded\","
                + "\"data\":{\"payment_id\":\"py_srv_rt_ok\",\"invoice_id\":\"in_srv_rt\",\"customer_id\":\"cus_in_srv_rt\","
                + "\"attempted_at\":\"2026-03-25T00:00:00Z\",\"currency\":\"USD\",\"amount\":\"49.00\",\"status\":\"succeeded\",\"attempt\":\"2\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT status FROM findings WHERE id = ?").param(f.id()).query(String.class).single()).isEqualTo("recovered");
        assertThat(jdbc.sql("SELECT reference FROM recoveries WHERE finding_id = ?").param(f.id()).query(String.class).single())
                .isEqualTo("payment:py_srv_rt_ok");
    }

    @Test
    void aPlaybookRunsItsStepsInOrderAndMovesOnAfterADecline() throws Exception {
        Http http = new Http(port);
        Http.Response put = http.send("PUT", "/api/v1/admin/playbooks/failed_payment", ADMIN, "application/json",
                "{\"auto_start\":false,\"escalate_after_days\":30,\"steps\":[{\"action\":\"retry_payment\",\"wait_days\":0,\"decline_class\":\"soft\"},"
                        + "{\"action\":\"notify_customer\",\"target\":\"payment_failed\",\"wait_days\":0,\"decline_class\":\"soft\"},"
                        + "{\"action\":\"create_ticket\",\"wait_days\":10,\"needs_approval\":true}]}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Http.Response bad = http.send("PUT", "/api/v1/admin/playbooks/failed_payment", ADMIN, "application/json",
                "{\"steps\":[{\"action\":\"retry_payment\",\"decline_class\":\"hard\"}]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json(bad.body())).containsEntry("field", "steps[0].decline_class");
        Finding f = failed("in_srv_pb", "insufficient_funds");
        wire.stubFor(post(urlEqualTo("/stripe/v1/invoices/in_srv_pb/pay")).willReturn(aResponse().withStatus(402)
                .withBody("{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\",\"decline_code\":\"insufficient_funds\",\"message\":\"declined\"}}")));

        Http.Response started = http.post("/api/v1/findings/" + f.id() + "/playbook", ADMIN, "{}");
        assertThat(started.status()).as(started.body()).isEqualTo(201);

        List<RemediationAction> actions = await(() -> service.actionsFor(f.id()),
                l -> l.stream().anyMatch(a -> a.action() == ActionType.CREATE_TICKET));
        Map<ActionType, ActionStatus> byType = actions.stream().collect(Collectors.toMap(RemediationAction::action, RemediationAction::status, (x, y) -> x));
        assertThat(byType).containsEntry(ActionType.RETRY_PAYMENT, ActionStatus.FAILED)
                .containsEntry(ActionType.NOTIFY_CUSTOMER, ActionStatus.SUCCEEDED)
                .containsEntry(ActionType.CREATE_TICKET, ActionStatus.PENDING_APPROVAL)
                .containsEntry(ActionType.ESCALATE, ActionStatus.SCHEDULED);
        assertThat(actions.stream().filter(a -> a.action() == ActionType.RETRY_PAYMENT).findFirst().orElseThrow().outcome()).contains("insufficient_funds");
        assertThat(wire.findAll(postRequestedFor(urlEqualTo("/stripe/v1/invoices/in_srv_pb/pay")).withHeader("Idempotency-Key",
                equalTo(f.id() + ":retry_payment:1")))).hasSize(1);
    }

    @Autowired
    TeamDigest digest;

    @Test
    void theDailyDigestEmailsTheTeamWhatHappened() throws Exception {
        Finding f = failed("in_srv_digest", "generic_decline");
        awaitFinished((String) start(f.id(), "{\"action\":\"mark_recovered\"}").get("id"));
        int before = mail.getReceivedMessagesForDomain("team@example.com").length;
        assertThat(digest.send(java.time.Instant.now())).isTrue();
        MimeMessage[] team = await(() -> mail.getReceivedMessagesForDomain("team@example.com"), m -> m.length > before);
        MimeMessage last = team[team.length - 1];
        assertThat(last.getSubject()).isEqualTo("Leak Detector daily digest");
        assertThat(last.getContent().toString()).contains("mark_recovered succeeded: ").contains("Recovered:");
    }

    @Test
    void integrationSecretsAreNeitherListedNorPrinted(CapturedOutput output) {
        Http.Response r = new Http(port).get("/api/v1/admin/integrations", ADMIN);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"stripe\":true").doesNotContain(STRIPE_KEY).doesNotContain(JIRA_TOKEN);
        RemediationProperties p = new RemediationProperties(STRIPE_KEY, null, null, "https://x.atlassian.net", "a@b", JIRA_TOKEN, "LD", null,
                null, null, ZENDESK_TOKEN, null, "whsec_x", null, "https://hooks.slack.com/services/SECRET", null, null, null, null, null, null, null);
        assertThat(p.toString()).doesNotContain(STRIPE_KEY).doesNotContain(JIRA_TOKEN).doesNotContain(ZENDESK_TOKEN).doesNotContain("SECRET");
        assertThat(output.getAll()).doesNotContain(STRIPE_KEY).doesNotContain(JIRA_TOKEN).doesNotContain(ZENDESK_TOKEN);
    }
}
