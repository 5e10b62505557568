package io.leakdetector.app.security;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** The users table: loads users for login and creates them (passwords stored with a one-way hash). */
@Component
public class UserStore implements UserDetailsService {
    private final JdbcClient jdbc;
    private final PasswordEncoder encoder;

    UserStore(JdbcClient jdbc, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.encoder = encoder;
    }

    public record UserRow(String username, Role role, boolean enabled, Instant createdAt) {}

    @Override
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("SELECT username, password_hash, role, enabled FROM app_user WHERE username = ?")
                .param(username)
                .query((rs, n) -> User.withUsername(rs.getString(1)).password(rs.getString(2))
                        .authorities(Role.valueOf(rs.getString(3)).authority()).disabled(!rs.getBoolean(4)).build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    boolean exists(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE username = ?").param(username).query(Long.class).single() > 0;
    }

    void create(String username, String rawPassword, Role role) {
        jdbc.sql("INSERT INTO app_user (username, password_hash, role, enabled, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(username, encoder.encode(rawPassword), role.name(), true, Timestamp.from(Instant.now()))
                .update();
    }

    boolean update(String username, String rawPassword, Role role, Boolean enabled) {
        int n = 0;
        if (rawPassword != null) {
            n += jdbc.sql("UPDATE app_user SET password_hash = ? WHERE username = ?")
                    .params(encoder.encode(rawPassword), username).update();
        }
        if (role != null) n += jdbc.sql("UPDATE app_user SET role = ? WHERE username = ?").params(role.name(), username).update();
        if (enabled != null) n += jdbc.sql("UPDATE app_user SET enabled = ? WHERE username = ?").params(enabled, username).update();
        return n > 0 || exists(username);
    }

    List<UserRow> list() {
        return jdbc.sql("SELECT username, role, enabled, created_at FROM app_user ORDER BY username")
                .query((rs, n) -> new UserRow(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    Optional<UserRow> find(String username) {
        return list().stream().filter(u -> u.username().equals(username)).findFirst();
    }
}
