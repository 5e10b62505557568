package io.leakdetector.app.dashboard;

import io.leakdetector.app.security.AdminController;
import io.leakdetector.app.security.ApiKeys;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.app.api.SettingsController;
import io.leakdetector.app.detect.CurrentSettings;
import io.leakdetector.app.detect.DetectorSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Settings for admins: users and API keys through the admin API's own code ({@link AdminController}: the same
 * validation and audit), and the detectors' thresholds and risk weights through the settings API's
 * ({@link SettingsController}): validated (an error names the setting), stored, audited, and used by the next detection
 * run.
 */
@Controller
class SettingsPage {
    private final AdminController admin;
    private final CurrentSettings detectors;

    SettingsPage(AdminController admin, CurrentSettings detectors) {
        this.admin = admin;
        this.detectors = detectors;
    }

    @GetMapping("/settings")
    String settings(Model model) {
        model.addAttribute("users", admin.users());
        model.addAttribute("keys", admin.apiKeys());
        model.addAttribute("settings", detectors.list());
        return "settings";
    }

    /** The thresholds form: every field is sent; only values that differ from the stored ones change anything. */
    @PostMapping("/settings/detectors")
    String changeDetectors(@RequestParam Map<String, String> form, RedirectAttributes flash) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (DetectorSettings.Setting s : detectors.list()) {
            if (form.containsKey(s.key())) changes.put(s.key(), form.get(s.key()));
        }
        try {
            List<String> changed = SettingsController.apply(detectors, changes);
            flash.addFlashAttribute("message", changed.isEmpty() ? "No setting changed."
                    : "Saved (the next detection run uses them): " + String.join("; ", changed) + ".");
        } catch (ApiException e) {
            flash.addFlashAttribute("error", e.getMessage());
            flash.addFlashAttribute("badSetting", e.field());
            flash.addFlashAttribute("typed", changes);
        }
        return "redirect:/settings#thr-h";
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
}
