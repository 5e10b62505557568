package io.leakdetector.app.remediation;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The SQL of playbooks and their steps (defaults in V11__remediation_defaults.sql). */
@Repository
public class PlaybookRepository {
    private final JdbcClient jdbc;

    public PlaybookRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether a new finding of {@code category} starts its playbook at once (false without a playbook); one read, no steps. */
    public boolean autoStarts(String category) {
        return jdbc.sql("SELECT auto_start FROM playbooks WHERE category = ?").param(category).query(Boolean.class).optional().orElse(false);
    }

    public Optional<Playbook> find(String category) {
        return jdbc.sql("SELECT category, auto_start, escalate_after_days FROM playbooks WHERE category = ?").param(category)
                .query((rs, n) -> new Playbook(rs.getString(1), rs.getBoolean(2), (Integer) rs.getObject(3, Integer.class), steps(rs.getString(1))))
                .optional();
    }

    public List<Playbook> all() {
        return jdbc.sql("SELECT category FROM playbooks ORDER BY category").query(String.class).list().stream()
                .map(c -> find(c).orElseThrow()).toList();
    }

    private List<Playbook.Step> steps(String category) {
        return jdbc.sql("SELECT position, action, target, wait_days, needs_approval, decline_class FROM playbook_steps WHERE category = ? ORDER BY position")
                .param(category)
                .query((rs, n) -> new Playbook.Step(rs.getInt(1), ActionType.parse(rs.getString(2)), rs.getString(3), rs.getInt(4),
                        rs.getBoolean(5), rs.getString(6)))
                .list();
    }

    /** Replaces a category's playbook whole; runs in the caller's transaction. */
    public void save(Playbook p, String by) {
        Timestamp now = Timestamp.from(Instant.now());
        int n = jdbc.sql("UPDATE playbooks SET auto_start = ?, escalate_after_days = ?, updated_by = ?, updated_at = ? WHERE category = ?")
                .params(p.autoStart(), p.escalateAfterDays(), by, now, p.category()).update();
        if (n == 0) {
            jdbc.sql("INSERT INTO playbooks (category, auto_start, escalate_after_days, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")
                    .params(p.category(), p.autoStart(), p.escalateAfterDays(), by, now).update();
        }
        jdbc.sql("DELETE FROM playbook_steps WHERE category = ?").param(p.category()).update();
        for (Playbook.Step s : p.steps()) {
            jdbc.sql("INSERT INTO playbook_steps (category, position, action, target, wait_days, needs_approval, decline_class) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(p.category(), s.position(), s.action().wire(), s.target(), s.waitDays(), s.needsApproval(), s.declineClass())
                    .update();
        }
    }
}
