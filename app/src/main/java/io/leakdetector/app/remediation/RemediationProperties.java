package io.leakdetector.app.remediation;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Integration settings, bound once from {@code leak.remediation.*} (application.properties maps each to an
 * environment variable such as LEAK_STRIPE_API_KEY). Secrets come only from here, and {@link #toString()} masks them.
 * A blank setting switches its integration off: actions that need it fail with a message naming the setting.
 */
@ConfigurationProperties("leak.remediation")
public record RemediationProperties(
        String stripeApiKey, String stripeApiBase, Integer stripeTimeoutMillis,
        String jiraBaseUrl, String jiraEmail, String jiraApiToken, String jiraProjectKey, String jiraIssueType,
        String zendeskBaseUrl, String zendeskEmail, String zendeskApiToken,
        String ticketWebhookUrl, String ticketWebhookSecret, String ticketSystem,
        String slackWebhookUrl, String teamEmail, String mailFrom, String paymentLinkTemplate,
        Integer maxRetries, Integer backoffSeconds, Integer httpTimeoutMillis, java.time.LocalTime digestTime) {

    public RemediationProperties {
        stripeApiBase = blank(stripeApiBase) ? "https://api.stripe.com" : stripeApiBase;
        stripeTimeoutMillis = stripeTimeoutMillis == null ? 30_000 : stripeTimeoutMillis;
        jiraIssueType = blank(jiraIssueType) ? "Task" : jiraIssueType;
        ticketSystem = blank(ticketSystem) ? null : ticketSystem.strip().toLowerCase(java.util.Locale.ROOT);
        mailFrom = blank(mailFrom) ? "leak-detector@localhost" : mailFrom;
        maxRetries = maxRetries == null ? 8 : maxRetries;
        backoffSeconds = backoffSeconds == null ? 30 : backoffSeconds;
        httpTimeoutMillis = httpTimeoutMillis == null ? 10_000 : httpTimeoutMillis;
        digestTime = digestTime == null ? java.time.LocalTime.of(8, 0) : digestTime;
    }

    /** Everything off: for tests and the command line. */
    public static RemediationProperties none() {
        return new RemediationProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null);
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The ticket system used when an action names none: the configured one, else the first that is set up. */
    public String defaultTicketSystem() {
        if (ticketSystem != null) return ticketSystem;
        if (!blank(jiraBaseUrl)) return "jira";
        if (!blank(zendeskBaseUrl)) return "zendesk";
        if (!blank(ticketWebhookUrl)) return "webhook";
        return null;
    }

    @Override
    public String toString() {
        return "RemediationProperties[stripe=" + set(stripeApiKey) + " at " + stripeApiBase + ", jira=" + set(jiraApiToken) + " at " + jiraBaseUrl
                + ", zendesk=" + set(zendeskApiToken) + " at " + zendeskBaseUrl + ", ticketWebhook=" + set(ticketWebhookUrl)
                + ", slack=" + set(slackWebhookUrl) + ", teamEmail=" + teamEmail + ", maxRetries=" + maxRetries + "]";
    }

    private static String set(String secret) {
        return blank(secret) ? "unset" : "set";
    }
}
