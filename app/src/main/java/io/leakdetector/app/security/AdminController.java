package io.leakdetector.app.security;

import io.leakdetector.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin API: users and API keys. Every change is audited. */
@RestController
@RequestMapping("/api/v1/admin")
@Tag(name = "admin", description = "users and API keys (role admin)")
public class AdminController {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    private final UserStore users;
    private final ApiKeys keys;
    private final AuditLog audit;

    AdminController(UserStore users, ApiKeys keys, AuditLog audit) {
        this.users = users;
        this.keys = keys;
        this.audit = audit;
    }

    public record NewUser(String username, String password, String role) {}

    public record UserChange(String password, String role, Boolean enabled) {}

    public record NewKey(String name, String role) {}

    @GetMapping("/users")
    @Operation(summary = "List users")
    public List<UserStore.UserRow> users() {
        return users.list();
    }

    @PostMapping("/users")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user with a role (viewer, analyst, admin)")
    public UserStore.UserRow createUser(@RequestBody NewUser body) {
        if (body.username() == null || !USERNAME.matcher(body.username()).matches()) {
            throw ApiException.badField("username", "username must be 1–100 letters, digits or . _ @ -");
        }
        checkPassword(body.password());
        Role role = role(body.role());
        if (users.exists(body.username())) throw ApiException.conflict("user " + body.username() + " already exists");
        users.create(body.username(), body.password(), role);
        audit.record("user.create", "user", body.username(), "role=" + role.wire());
        return users.find(body.username()).orElseThrow();
    }

    @PatchMapping("/users/{username}")
    @Operation(summary = "Change a user's password, role or enabled flag")
    public UserStore.UserRow changeUser(@PathVariable String username, @RequestBody UserChange body) {
        if (body.password() != null) checkPassword(body.password());
        Role role = body.role() == null ? null : role(body.role());
        if (!users.exists(username)) throw ApiException.notFound("user", username);
        users.update(username, body.password(), role, body.enabled());
        audit.record("user.update", "user", username, (role == null ? "" : "role=" + role.wire() + " ")
                + (body.enabled() == null ? "" : "enabled=" + body.enabled() + " ")
                + (body.password() == null ? "" : "password changed"));
        return users.find(username).orElseThrow();
    }

    @GetMapping("/api-keys")
    @Operation(summary = "List API keys (never their secrets)")
    public List<ApiKeys.KeyInfo> apiKeys() {
        return keys.list();
    }

    @PostMapping("/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API key scoped to a role; the key is shown in this response only")
    public ApiKeys.CreatedKey createKey(@RequestBody NewKey body) {
        if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            throw ApiException.badField("name", "name is required (at most 200 characters)");
        }
        Role role = role(body.role());
        ApiKeys.CreatedKey created = keys.create(body.name().strip(), role, AuditLog.currentActor());
        audit.record("api_key.create", "api_key", created.id(), "name=" + created.name() + " role=" + role.wire());
        return created;
    }

    @DeleteMapping("/api-keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API key")
    public void revokeKey(@PathVariable String id) {
        if (!keys.revoke(id)) throw ApiException.notFound("active API key", id);
        audit.record("api_key.revoke", "api_key", id, null);
    }

    private static Role role(String text) {
        try {
            return Role.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("role", e.getMessage());
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < 12 || password.length() > 200) {
            throw ApiException.badField("password", "password must be 12–200 characters");
        }
    }
}
