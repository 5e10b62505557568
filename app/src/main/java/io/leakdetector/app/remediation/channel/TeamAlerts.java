package io.leakdetector.app.remediation.channel;

import io.leakdetector.app.remediation.ActionExecutor;
import io.leakdetector.app.remediation.ActionType;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.util.Json;
import java.util.Map;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Alert the team (and escalate): a Slack incoming-webhook post and an e-mail to the team address, each when
 * configured. The Slack post is remembered on the action ({@code external_ref}) before the e-mail goes out, so a retry
 * after a failed e-mail does not post to Slack again. Slack's incoming webhooks have no idempotency key: a post whose
 * answer was lost (timeout) may show twice — at-least-once, documented.
 */
public final class TeamAlerts implements ActionExecutor {
    private final String slackWebhookUrl;
    private final JavaMailSender mail;
    private final String teamEmail;
    private final String from;
    private final HttpJson http;

    public TeamAlerts(String slackWebhookUrl, JavaMailSender mail, String teamEmail, String from, HttpJson http) {
        this.slackWebhookUrl = blank(slackWebhookUrl) ? null : slackWebhookUrl;
        this.mail = blank(teamEmail) ? null : mail;
        this.teamEmail = teamEmail;
        this.from = from;
        this.http = http;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    public boolean configured() {
        return slackWebhookUrl != null || mail != null;
    }

    static String text(Context c) {
        Finding f = c.finding();
        String what = c.action().action() == ActionType.ESCALATE
                ? "Escalation: no progress for " + c.action().target() + " days on " : "Leak alert: ";
        return what + f.category().name() + " on " + f.subject() + " (customer " + f.customerId() + "): "
                + (f.amountOneTime().isZero() ? f.amountMonthlyRecurring().format() + "/month" : f.amountOneTime().format())
                + ". " + f.explanation() + " Finding " + f.id() + ".";
    }

    @Override
    public Outcome execute(Context c) {
        if (!configured()) throw new Permanent("no team channel configured: set LEAK_SLACK_WEBHOOK_URL or LEAK_TEAM_EMAIL with spring.mail.host");
        String text = text(c);
        String done = c.action().externalRef() == null ? "" : c.action().externalRef();
        if (slackWebhookUrl != null && !done.contains("slack")) {
            http.send("POST", slackWebhookUrl, Map.of(), Json.write(Map.of("text", text)));
            done = done.isEmpty() ? "slack" : done + ",slack";
            String mark = done;
            c.jdbc().sql("UPDATE remediation_actions SET external_ref = ? WHERE id = ?").params(mark, c.action().id()).update();
        }
        if (mail != null && !done.contains("email")) {
            SimpleMailMessage m = new SimpleMailMessage();
            m.setFrom(from);
            m.setTo(teamEmail);
            m.setSubject(text.length() > 120 ? text.substring(0, 117) + "..." : text);
            m.setText(text);
            try {
                mail.send(m);
            } catch (MailException e) {
                throw new Retryable("team e-mail failed: " + e.getClass().getSimpleName());
            }
            done = done.isEmpty() ? "email" : done + ",email";
        }
        return Outcome.succeeded("team alerted (" + done + ")", done);
    }
}
