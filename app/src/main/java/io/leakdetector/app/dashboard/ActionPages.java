package io.leakdetector.app.dashboard;

import io.leakdetector.app.remediation.ActionType;
import io.leakdetector.app.remediation.RemediationService;
import io.leakdetector.app.web.ApiException;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The finding page's remediation forms: start an action or the category's playbook, approve or cancel a pending
 * action. Each calls {@link RemediationService} (the same rules, audit and durable jobs as the API) and returns to
 * the finding with what happened; a refused action (hard decline, closed finding, payment in flight) is shown, not
 * thrown. Analysts only ({@code POST /findings/**} in the security configuration).
 */
@Controller
class ActionPages {
    private final RemediationService remediation;
    private final Fmt fmt;

    ActionPages(RemediationService remediation, Fmt fmt) {
        this.remediation = remediation;
        this.fmt = fmt;
    }

    @PostMapping("/findings/{id}/actions")
    String start(@PathVariable String id, @RequestParam String action, @RequestParam(required = false) String target,
                 @RequestParam(defaultValue = "false") boolean needsApproval, RedirectAttributes flash) {
        return act(id, flash, () -> {
            ActionType type = ActionType.parse(action);
            var a = remediation.start(id, type, target == null || target.isBlank() ? null : target.strip(), needsApproval);
            return words(type) + (a.status().wire().equals("pending_approval") ? " is waiting for approval." : " is scheduled.");
        });
    }

    @PostMapping("/findings/{id}/playbook")
    String playbook(@PathVariable String id, RedirectAttributes flash) {
        return act(id, flash, () -> "Playbook started: " + remediation.startPlaybook(id).size() + " step(s) queued.");
    }

    @PostMapping("/findings/{id}/actions/{actionId}/approve")
    String approve(@PathVariable String id, @PathVariable String actionId, RedirectAttributes flash) {
        return act(id, flash, () -> words(remediation.approve(actionId).action()) + " approved and scheduled.");
    }

    @PostMapping("/findings/{id}/actions/{actionId}/cancel")
    String cancel(@PathVariable String id, @PathVariable String actionId, RedirectAttributes flash) {
        return act(id, flash, () -> words(remediation.cancel(actionId).action()) + " cancelled.");
    }

    private String act(String findingId, RedirectAttributes flash, Supplier<String> action) {
        try {
            flash.addFlashAttribute("message", action.get());
        } catch (ApiException | IllegalArgumentException e) {
            // a missing finding shows as the finding page's own 404 after the redirect
            flash.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/findings/" + FindingsPages.encode(findingId);
    }

    private String words(ActionType type) {
        return fmt.words(type.wire());
    }
}
