package io.leakdetector.app.remediation;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.leakdetector.app.remediation.channel.CustomerEmails;
import io.leakdetector.app.remediation.channel.HttpJson;
import io.leakdetector.app.remediation.channel.StripePayments;
import io.leakdetector.app.remediation.channel.TeamAlerts;
import io.leakdetector.app.remediation.channel.Tickets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires remediation into the service: the integrations from {@link RemediationProperties}, the engine, and the
 * db-scheduler tasks (one action, one webhook delivery, and a sweep that re-creates jobs lost between a commit and
 * its schedule). Failed jobs retry with exponential backoff (base {@code backoff-seconds}, doubling) up to
 * {@code max-retries}, then the action is marked failed.
 */
@Configuration
@EnableConfigurationProperties(RemediationProperties.class)
class RemediationConfig {

    @Bean
    Jobs remediationJobs(DataSource dataSource) {
        return Jobs.over(dataSource);
    }

    @Bean
    HttpJson remediationHttp(RemediationProperties p) {
        return new HttpJson(Duration.ofMillis(Math.min(5_000, p.httpTimeoutMillis())), Duration.ofMillis(p.httpTimeoutMillis()));
    }

    @Bean
    OutboundWebhooks outboundWebhooks(JdbcClient jdbc, Jobs jobs, HttpJson http) {
        return new OutboundWebhooks(jdbc, jobs, http, Clock.systemUTC());
    }

    @Bean
    Remediation remediation(JdbcClient jdbc, TransactionTemplate tx, Jobs jobs, OutboundWebhooks outbound, RemediationProperties p,
                            HttpJson http, ObjectProvider<JavaMailSender> mail, EmailTemplates templates) {
        JavaMailSender sender = mail.getIfAvailable();
        Map<ActionType, ActionExecutor> executors = new EnumMap<>(ActionType.class);
        executors.put(ActionType.RETRY_PAYMENT, new StripePayments(p.stripeApiKey(), p.stripeApiBase(), p.stripeTimeoutMillis(),
                new ActionRepository(jdbc), tx));
        CustomerEmails emails = new CustomerEmails(sender, templates, p.mailFrom(), p.paymentLinkTemplate());
        executors.put(ActionType.NOTIFY_CUSTOMER, emails);
        executors.put(ActionType.REQUEST_CARD_UPDATE, emails);
        executors.put(ActionType.SEND_AUTH_LINK, emails);
        executors.put(ActionType.CREATE_TICKET, new Tickets(p, http));
        executors.put(ActionType.ALERT_TEAM, new TeamAlerts(p.slackWebhookUrl(), sender, p.teamEmail(), p.mailFrom(), http));
        return new Remediation(jdbc, tx, jobs, executors, outbound);
    }

    @Bean
    FindingEvents findingEvents(Remediation remediation, OutboundWebhooks outbound, PlaybookRepository playbooks) {
        return new FindingEvents(remediation, outbound, playbooks);
    }

    @Bean
    Recoveries recoveries(JdbcClient jdbc, TransactionTemplate tx, OutboundWebhooks outbound) {
        return new Recoveries(jdbc, tx, outbound);
    }

    /** Exponential backoff from {@code backoff-seconds}, doubling, at most {@code max-retries}; then {@code gaveUp(id, error)}. */
    static FailureHandler<Void> retrying(RemediationProperties p, java.util.function.BiConsumer<String, String> gaveUp) {
        return new FailureHandler.MaxRetriesFailureHandler<Void>(p.maxRetries(),
                new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(p.backoffSeconds()), 2.0),
                (complete, ops) -> gaveUp.accept(complete.getExecution().taskInstance.getId(),
                        complete.getCause().map(Throwable::getMessage).orElse("unknown error")));
    }

    @Bean
    OneTimeTask<Void> remediationActionTask(ObjectProvider<Remediation> remediation, RemediationProperties p) {
        return Tasks.oneTime(Jobs.ACTION_TASK)
                .onFailure(retrying(p, (id, error) -> remediation.getObject().gaveUp(id, error)))
                .execute((instance, context) -> remediation.getObject().run(instance.getId()));
    }

    @Bean
    OneTimeTask<Void> webhookDeliveryTask(ObjectProvider<OutboundWebhooks> outbound, RemediationProperties p) {
        return Tasks.oneTime(Jobs.DELIVERY_TASK)
                .onFailure(retrying(p, (id, error) -> outbound.getObject().gaveUp(id, error)))
                .execute((instance, context) -> {
                    try {
                        outbound.getObject().deliver(instance.getId());
                    } catch (ActionExecutor.Permanent e) {
                        outbound.getObject().gaveUp(instance.getId(), e.getMessage());
                    }
                });
    }

    @Bean
    TeamDigest teamDigest(JdbcClient jdbc, ObjectProvider<JavaMailSender> mail, RemediationProperties p) {
        return new TeamDigest(jdbc, mail.getIfAvailable(), p.teamEmail(), p.mailFrom());
    }

    /** The team's e-mail digest, every day at {@code digest-time} UTC (default 08:00). */
    @Bean
    RecurringTask<Void> teamDigestTask(ObjectProvider<TeamDigest> digest, RemediationProperties p) {
        return Tasks.recurring("team-digest", new com.github.kagkarlsson.scheduler.task.schedule.Daily(java.time.ZoneOffset.UTC, p.digestTime()))
                .execute((instance, context) -> digest.getObject().send(java.time.Instant.now()));
    }

    @Bean
    RecurringTask<Void> remediationRedispatchTask(ObjectProvider<Remediation> remediation) {
        return Tasks.recurring("remediation-redispatch", FixedDelay.ofMinutes(1))
                .execute((instance, context) -> remediation.getObject().redispatch());
    }
}
