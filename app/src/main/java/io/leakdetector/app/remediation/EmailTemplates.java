package io.leakdetector.app.remediation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Customer e-mail templates stored in the database and edited by admins; {@code {{name}}} placeholders. */
@Repository
public class EmailTemplates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");
    private final JdbcClient jdbc;

    public EmailTemplates(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record Template(String name, String subject, String body, String updatedBy, Instant updatedAt) {}

    public Optional<Template> find(String name) {
        return jdbc.sql("SELECT name, subject, body, updated_by, updated_at FROM email_templates WHERE name = ?").param(name)
                .query((rs, n) -> new Template(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getObject(5, java.time.OffsetDateTime.class).toInstant())).optional();
    }

    public List<Template> all() {
        return jdbc.sql("SELECT name FROM email_templates ORDER BY name").query(String.class).list().stream().map(n -> find(n).orElseThrow()).toList();
    }

    public void save(String name, String subject, String body, String by) {
        Timestamp now = Timestamp.from(Instant.now());
        int n = jdbc.sql("UPDATE email_templates SET subject = ?, body = ?, updated_by = ?, updated_at = ? WHERE name = ?")
                .params(subject, body, by, now, name).update();
        if (n == 0) {
            jdbc.sql("INSERT INTO email_templates (name, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .params(name, subject, body, by, now).update();
        }
    }

    /** Fills {@code {{name}}} placeholders; an unknown one stays as written so a typo is visible in the mail. */
    public static String render(String template, Map<String, String> vars) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? m.group() : v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
