package io.leakdetector.app.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The login form; Spring Security's form login (SecurityConfig) handles the POST, with CSRF. */
@Controller
class LoginPage {
    @GetMapping("/login")
    String login() {
        return "login";
    }
}
