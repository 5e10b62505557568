package io.leakdetector.app.remediation.channel;

import io.leakdetector.app.remediation.ActionExecutor;
import io.leakdetector.app.remediation.ActionType;
import io.leakdetector.app.remediation.EmailTemplates;
import io.leakdetector.core.finding.Finding;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Customer e-mails (notify from a template, request a card update, send an authentication link) over SMTP with Spring
 * Mail. The template is the action's target, else the action's default; the Message-ID is derived from the action's
 * idempotency key, so a message re-sent after a crash carries the same id and mail clients show it once.
 */
public final class CustomerEmails implements ActionExecutor {
    private final JavaMailSender mail;
    private final EmailTemplates templates;
    private final String from;
    private final String paymentLinkTemplate;

    public CustomerEmails(JavaMailSender mail, EmailTemplates templates, String from, String paymentLinkTemplate) {
        this.mail = mail;
        this.templates = templates;
        this.from = from;
        this.paymentLinkTemplate = paymentLinkTemplate;
    }

    static String defaultTemplate(ActionType type) {
        return switch (type) {
            case REQUEST_CARD_UPDATE -> "card_update";
            case SEND_AUTH_LINK -> "authentication_link";
            default -> "payment_failed";
        };
    }

    @Override
    public Outcome execute(Context c) throws MessagingException {
        if (mail == null) throw new Permanent("mail is not configured: set spring.mail.host (SPRING_MAIL_HOST)");
        Finding f = c.finding();
        Optional<String[]> customer = c.jdbc().sql("SELECT email, name FROM customers WHERE customer_id = ?").param(f.customerId())
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).optional();
        if (customer.isEmpty() || customer.get()[0] == null || customer.get()[0].isBlank()) {
            throw new Permanent("customer " + f.customerId() + " has no e-mail address");
        }
        String name = c.action().target() != null ? c.action().target() : defaultTemplate(c.action().action());
        EmailTemplates.Template t = templates.find(name).orElseThrow(() -> new Permanent("no e-mail template named " + name));
        Map<String, String> vars = new LinkedHashMap<>();
        String invoice = f.subject().startsWith("invoice:") ? f.subject().substring("invoice:".length()) : "";
        vars.put("customer_name", customer.get()[1] == null ? f.customerId() : customer.get()[1]);
        vars.put("customer_id", f.customerId());
        vars.put("invoice_id", invoice);
        vars.put("amount", (f.amountOneTime().isZero() ? f.amountMonthlyRecurring() : f.amountOneTime()).format());
        vars.put("finding_id", f.id());
        vars.put("category", f.category().name());
        vars.put("payment_link", paymentLinkTemplate == null ? "" : paymentLinkTemplate.replace("{invoice_id}", invoice));
        if (c.action().action() == ActionType.SEND_AUTH_LINK && (paymentLinkTemplate == null || paymentLinkTemplate.isBlank())) {
            throw new Permanent("no payment link: set LEAK_PAYMENT_LINK_TEMPLATE (leak.remediation.payment-link-template)");
        }
        MimeMessage m = mail.createMimeMessage();
        MimeMessageHelper h = new MimeMessageHelper(m, false, "UTF-8");
        h.setFrom(from);
        h.setTo(customer.get()[0]);
        h.setSubject(EmailTemplates.render(t.subject(), vars));
        h.setText(EmailTemplates.render(t.body(), vars), false);
        String messageId = "<" + c.action().idempotencyKey().replaceAll("[^A-Za-z0-9._-]", ".") + "@leak-detector>";
        try {
            m.saveChanges();
            m.setHeader("Message-ID", messageId);
            mail.send(m);
        } catch (MailSendException e) {
            throw new Retryable("SMTP send failed: " + e.getClass().getSimpleName());
        } catch (MailException e) {
            throw new Retryable("SMTP failed: " + e.getClass().getSimpleName());
        }
        return Outcome.succeeded("e-mailed " + customer.get()[0] + " (" + name + ")", messageId);
    }
}
