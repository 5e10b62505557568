package io.leakdetector.app.security;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Creates the user {@code admin} at the first start: with {@code LEAK_ADMIN_PASSWORD} when set, otherwise with
 * a random password printed once to the console (it is never stored in clear nor shown again).
 */
@Component
class AdminBootstrap implements ApplicationRunner {
    static final String ADMIN = "admin";
    private final UserStore users;
    private final SecurityProperties properties;
    private final AuditLog audit;

    AdminBootstrap(UserStore users, SecurityProperties properties, AuditLog audit) {
        this.users = users;
        this.properties = properties;
        this.audit = audit;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (users.exists(ADMIN)) return;
        String password = properties.adminPassword();
        boolean generated = password == null || password.isBlank();
        if (generated) {
            byte[] b = new byte[18];
            new SecureRandom().nextBytes(b);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }
        users.create(ADMIN, password, Role.ADMIN);
        audit.recordAs("system", "user.create", "user", ADMIN, "bootstrap admin" + (generated ? " (generated password)" : ""));
        if (generated) {
            // Printed to stdout on purpose, once: the operator has no other way to learn it.
            System.out.println("Leak Detector: created user 'admin' with password: " + password
                    + "  (shown once; set LEAK_ADMIN_PASSWORD to choose it)");
        }
    }
}
