package io.leakdetector.app.dashboard;

import io.leakdetector.app.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** On the pages an error is a page (404 for an unknown finding, customer or job), not the API's problem+json. */
@ControllerAdvice(assignableTypes = {OverviewPage.class, FindingsPages.class, ImportPages.class, SettingsPage.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {
    @ExceptionHandler(ApiException.class)
    String api(ApiException e, Model model, HttpServletResponse response) {
        response.setStatus(e.status().value());
        model.addAttribute("status", e.status().value());
        model.addAttribute("message", e.getMessage());
        return "error-page";
    }
}
