package io.leakdetector.app.dashboard;

import io.leakdetector.app.security.AdminController;
import io.leakdetector.app.security.ApiKeys;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.detect.DetectorsConfig;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings for admins: users and API keys through the admin API's own code ({@link AdminController}: the same
 * validation and audit), and the detectors' thresholds and risk weights, shown read-only (they are the documented
 * defaults; docs/detectors.md).
 */
@Controller
class SettingsPage {
    private final AdminController admin;

    SettingsPage(AdminController admin) {
        this.admin = admin;
    }

    /** One setting of one detector. */
    public record Setting(String detector, String name, String value) {}

    @GetMapping("/settings")
    String settings(Model model) {
        model.addAttribute("users", admin.users());
        model.addAttribute("keys", admin.apiKeys());
        model.addAttribute("settings", settings(DetectorsConfig.DEFAULTS));
        return "settings";
    }

    @PostMapping("/settings/users")
    String createUser(@RequestParam String username, @RequestParam String password, @RequestParam String role,
                      RedirectAttributes flash) {
        try {
            admin.createUser(new AdminController.NewUser(username, password, role));
            flash.addFlashAttribute("message", "User " + username + " created.");
        } catch (ApiException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/settings";
    }

    @PostMapping("/settings/users/{username}/enabled")
    String enable(@PathVariable String username, @RequestParam boolean enabled, RedirectAttributes flash) {
        try {
            admin.changeUser(username, new AdminController.UserChange(null, null, enabled));
            flash.addFlashAttribute("message", "User " + username + (enabled ? " enabled." : " disabled."));
        } catch (ApiException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/settings";
    }

    @PostMapping("/settings/api-keys")
    String createKey(@RequestParam String name, @RequestParam String role, RedirectAttributes flash) {
        try {
            ApiKeys.CreatedKey k = admin.createKey(new AdminController.NewKey(name, role));
            flash.addFlashAttribute("newKey", k);
        } catch (ApiException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/settings";
    }

    @PostMapping("/settings/api-keys/{id}/revoke")
    String revoke(@PathVariable String id, RedirectAttributes flash) {
        try {
            admin.revokeKey(id);
            flash.addFlashAttribute("message", "API key " + id + " revoked.");
        } catch (ApiException e) {
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/settings";
    }

    /** Every leaf value of the configuration record, named by its path (e.g. failedPayment · graceDays · 14). */
    static List<Setting> settings(DetectorsConfig config) {
        List<Setting> out = new ArrayList<>();
        for (RecordComponent c : DetectorsConfig.class.getRecordComponents()) {
            Object v = value(c, config);
            if (v != null && v.getClass().isRecord()) {
                for (RecordComponent inner : v.getClass().getRecordComponents()) {
                    out.add(new Setting(c.getName(), inner.getName(), String.valueOf(value(inner, v))));
                }
            } else {
                out.add(new Setting("detection", c.getName(), String.valueOf(v)));
            }
        }
        return out;
    }

    private static Object value(RecordComponent c, Object of) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(of);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}
