package io.leakdetector.app.realtime;

import io.leakdetector.app.security.ApiKeys;
import io.leakdetector.app.security.Role;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.app.web.PayloadTooLargeException;
import io.leakdetector.app.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hot path of {@code POST /api/v1/events} with an API key ({@code Authorization: Bearer}): the request is
 * authenticated and authorised here, with the same keys, the same role rule (analyst or above) and the same problem
 * answers as the security chain gives the route, and is handled without the security filter chain and Spring MVC's
 * dispatch, which cost more CPU per event than the event itself. Every other request to the route (HTTP Basic, no
 * credentials, another content type) goes down the normal chain to {@link EventsController}. Runs after the body
 * size limit filter; the HTTP server observation (metrics) still wraps it. Registered by {@link Registration} (a
 * configuration, so that MVC test slices, which pick up filter components, do not need the real-time service).
 */
class EventsFastPath extends OncePerRequestFilter {
    static final String PATH = "/api/v1/events";
    private static final Logger log = LoggerFactory.getLogger(EventsFastPath.class);
    private final ApiKeys keys;
    private final RealtimeService service;
    private final JsonMapper json;
    private final Map<Role, Boolean> mayPost = new EnumMap<>(Role.class);

    EventsFastPath(ApiKeys keys, RealtimeService service, JsonMapper json, RoleHierarchy roles) {
        this.keys = keys;
        this.service = service;
        this.json = json;
        for (Role r : Role.values()) {
            boolean ok = false;
            for (GrantedAuthority a : roles.getReachableGrantedAuthorities(List.of(new SimpleGrantedAuthority(r.authority())))) {
                if (a.getAuthority().equals(Role.ANALYST.authority())) ok = true;
            }
            mayPost.put(r, ok);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())) return true;
        String auth = request.getHeader("Authorization");
        String type = request.getContentType();
        return auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)
                || type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        securityHeaders(response);
        Optional<ApiKeys.KeyPrincipal> principal = keys.authenticate(request.getHeader("Authorization").substring(7).strip());
        if (principal.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"leak-detector\", Bearer");
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "log in with HTTP Basic or send Authorization: Bearer <api key>", PATH);
            return;
        }
        if (!mayPost.get(principal.get().role())) {
            Problems.write(response, HttpStatus.FORBIDDEN, "forbidden", "your role may not POST " + PATH, PATH);
            return;
        }
        Decision decision;
        try {
            JsonNode body;
            try {
                body = json.readTree(request.getInputStream());
            } catch (JacksonException e) {
                if (tooLarge(e) != null) throw e;
                throw ApiException.badField(null, "malformed JSON: " + e.getOriginalMessage());
            }
            EventsController.Event e = EventsController.Event.of(body);
            decision = service.handle(e.id(), e.type(), e.inputs(), start);
        } catch (ApiException e) {
            Problems.write(response, e, PATH);
            return;
        } catch (RuntimeException e) {
            PayloadTooLargeException big = tooLarge(e);
            if (big != null) {
                Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "too-large", big.getMessage(), PATH);
                return;
            }
            log.error("real-time event failed", e);
            Problems.write(response, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "unexpected error; see the server log", PATH);
            return;
        }
        byte[] out = json.writeValueAsBytes(decision);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(out.length);
        response.getOutputStream().write(out);
    }

    private static PayloadTooLargeException tooLarge(Throwable t) {
        for (; t != null; t = t.getCause()) if (t instanceof PayloadTooLargeException big) return big;
        return null;
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<EventsFastPath> eventsFastPath(ApiKeys keys, RealtimeService service, JsonMapper json,
                                                              RoleHierarchy roles) {
            FilterRegistrationBean<EventsFastPath> r = new FilterRegistrationBean<>(new EventsFastPath(keys, service, json, roles));
            r.addUrlPatterns(PATH);
            r.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return r;
        }
    }

    /** The headers Spring Security writes on every API answer. */
    private static void securityHeaders(HttpServletResponse response) {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-XSS-Protection", "0");
        response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
        response.setHeader("Pragma", "no-cache");
        response.setHeader("Expires", "0");
        response.setHeader("X-Frame-Options", "DENY");
    }
}
