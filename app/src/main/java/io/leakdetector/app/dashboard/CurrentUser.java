package io.leakdetector.app.dashboard;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Who is looking, for every page: the name in the header and which buttons to show (the server checks again). */
@ControllerAdvice(assignableTypes = {OverviewPage.class, FindingsPages.class, ImportPages.class, SettingsPage.class, LoginPage.class})
class CurrentUser {
    /** The user's name and what the role allows. */
    public record User(String name, boolean analyst, boolean admin) {}

    @ModelAttribute("allCategories")
    java.util.List<String> categories() {
        return java.util.Arrays.stream(io.leakdetector.core.finding.Category.values()).map(Enum::name).toList();
    }

    @ModelAttribute("allKinds")
    java.util.List<String> kinds() {
        return java.util.Arrays.stream(io.leakdetector.core.finding.Kind.values()).map(io.leakdetector.core.finding.Kind::wire).toList();
    }

    @ModelAttribute("allStatuses")
    java.util.List<String> statuses() {
        return java.util.Arrays.stream(io.leakdetector.core.finding.FindingStatus.values())
                .map(io.leakdetector.core.finding.FindingStatus::wire).toList();
    }

    @ModelAttribute("user")
    User user() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a == null || !a.isAuthenticated()) return new User(null, false, false);
        boolean admin = false;
        boolean analyst = false;
        for (GrantedAuthority g : a.getAuthorities()) {
            admin |= g.getAuthority().equals("ROLE_ADMIN");
            analyst |= g.getAuthority().equals("ROLE_ANALYST") || g.getAuthority().equals("ROLE_ADMIN");
        }
        return new User(a.getName(), analyst, admin);
    }
}
