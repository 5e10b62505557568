package io.leakdetector.app.remediation;

import java.util.Locale;

/** What a remediation action does (DESIGN.md §8); the wire name is the lower-case name. */
public enum ActionType {
    /** Pays the open invoice through the payment provider; only for soft declines. */
    RETRY_PAYMENT,
    /** E-mails the customer asking for a new payment method. */
    REQUEST_CARD_UPDATE,
    /** E-mails the customer a link to authenticate the payment (3-D Secure / SCA). */
    SEND_AUTH_LINK,
    /** E-mails the customer from an editable template (target = template name). */
    NOTIFY_CUSTOMER,
    /** Opens a ticket in Jira, Zendesk or a generic JSON webhook (target = system; default: the configured one). */
    CREATE_TICKET,
    /** Posts to Slack and e-mails the team. */
    ALERT_TEAM,
    /** Alerts the team that a finding made no progress for N days. */
    ESCALATE,
    /** Marks the finding recovered (by hand). */
    MARK_RECOVERED,
    /** Marks the finding dismissed. */
    MARK_DISMISSED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name (any case); throws naming the allowed values otherwise. */
    public static ActionType parse(String text) {
        if (text != null) {
            for (ActionType t : values()) if (t.wire().equalsIgnoreCase(text.strip())) return t;
        }
        StringBuilder allowed = new StringBuilder();
        for (ActionType t : values()) allowed.append(allowed.isEmpty() ? "" : ", ").append(t.wire());
        throw new IllegalArgumentException("action must be one of " + allowed + " (was '" + text + "')");
    }
}
