package io.leakdetector.app.remediation;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * The team's daily e-mail digest: findings detected, actions finished or waiting for approval, and money recovered
 * in the last 24 hours. A recurring durable job sends it when LEAK_TEAM_EMAIL and SMTP are configured.
 */
public final class TeamDigest {
    private final JdbcClient jdbc;
    private final JavaMailSender mail;
    private final String to;
    private final String from;

    public TeamDigest(JdbcClient jdbc, JavaMailSender mail, String to, String from) {
        this.jdbc = jdbc;
        this.mail = mail;
        this.to = to;
        this.from = from;
    }

    /** The digest text for the day before {@code until}. */
    public String text(Instant until) {
        Timestamp since = Timestamp.from(until.minus(Duration.ofDays(1)));
        List<String> lines = new ArrayList<>();
        lines.add("Leak Detector digest for the 24 hours before " + until);
        lines.add("");
        lines.add("New findings by category:");
        jdbc.sql("SELECT category, COUNT(*) FROM findings WHERE detected_at >= ? GROUP BY category ORDER BY category").param(since)
                .query(rs -> { lines.add("  " + rs.getString(1) + ": " + rs.getLong(2)); });
        lines.add("Actions finished:");
        jdbc.sql("SELECT action, status, COUNT(*) FROM remediation_actions WHERE finished_at >= ? GROUP BY action, status ORDER BY action, status")
                .param(since).query(rs -> { lines.add("  " + rs.getString(1) + " " + rs.getString(2) + ": " + rs.getLong(3)); });
        long waiting = jdbc.sql("SELECT COUNT(*) FROM remediation_actions WHERE status = 'pending_approval'").query(Long.class).single();
        lines.add("Actions waiting for approval: " + waiting);
        lines.add("Recovered:");
        jdbc.sql("SELECT currency, COUNT(*), SUM(amount_minor) FROM recoveries WHERE recovered_at >= ? GROUP BY currency ORDER BY currency")
                .param(since).query(rs -> {
                    var cur = io.leakdetector.core.money.Currencies.of(rs.getString(1).strip());
                    lines.add("  " + rs.getLong(2) + " findings, " + new io.leakdetector.core.money.Money(rs.getLong(3), cur).format());
                });
        return String.join("\n", lines);
    }

    /** Sends the digest; false when the team e-mail or SMTP is not configured. */
    public boolean send(Instant until) {
        if (mail == null || to == null || to.isBlank()) return false;
        SimpleMailMessage m = new SimpleMailMessage();
        m.setFrom(from);
        m.setTo(to);
        m.setSubject("Leak Detector daily digest");
        m.setText(text(until));
        mail.send(m);
        return true;
    }
}
