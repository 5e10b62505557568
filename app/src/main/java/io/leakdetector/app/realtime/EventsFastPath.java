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
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
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
 * credentials, another content type) goes down the normal chain to {@link EventsController}. It is the first filter
 * of the chain, so it enforces the body size limit itself ({@code leak.web.max-json-bytes}, the same 413 as
 * {@code RequestSizeLimitFilter}), and the HTTP server observation does not wrap it (its context, tags and meters
 * were 11–12 % of the HTTP threads' profile samples): each request it answers is timed in the {@code leak.events} timer instead, tagged
 * by status and outcome ({@code leak_events_seconds_count/sum/max} in the Prometheus scrape). Registered by
 * {@link Registration} (a configuration, so that MVC test slices, which pick up filter components, do not need the
 * real-time service).
 */
class EventsFastPath extends OncePerRequestFilter {
    static final String PATH = "/api/v1/events";
    private static final Logger log = LoggerFactory.getLogger(EventsFastPath.class);
    private final ApiKeys keys;
    private final RealtimeService service;
    private final JsonMapper json;
    private final Map<Role, Boolean> mayPost = new EnumMap<>(Role.class);
    private final long maxBytes;
    private final MeterRegistry meters;
    /** The {@code leak.events} timer of each status answered so far (a handful). */
    private final Map<Integer, Timer> timers = new ConcurrentHashMap<>();

    EventsFastPath(ApiKeys keys, RealtimeService service, JsonMapper json, RoleHierarchy roles, long maxBytes,
                   MeterRegistry meters) {
        this.keys = keys;
        this.service = service;
        this.json = json;
        this.maxBytes = maxBytes;
        this.meters = meters;
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
        int status = 500;
        try {
            status = answer(request, response, start);
        } finally {
            if (meters != null) timer(status).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Answers the request; returns the status sent. */
    private int answer(HttpServletRequest request, HttpServletResponse response, long start) throws IOException {
        if (request.getContentLengthLong() > maxBytes) { // before anything else, as RequestSizeLimitFilter answers it
            Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "too-large", new PayloadTooLargeException(maxBytes).getMessage(), PATH);
            return 413;
        }
        securityHeaders(response);
        Optional<ApiKeys.KeyPrincipal> principal = keys.authenticate(request.getHeader("Authorization").substring(7).strip());
        if (principal.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"leak-detector\", Bearer");
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "log in with HTTP Basic or send Authorization: Bearer <api key>", PATH);
            return 401;
        }
        if (!mayPost.get(principal.get().role())) {
            Problems.write(response, HttpStatus.FORBIDDEN, "forbidden", "your role may not POST " + PATH, PATH);
            return 403;
        }
        Decision decision;
        try {
            JsonNode body;
            try {
                body = json.readTree(body(request));
            } catch (JacksonException e) {
                throw ApiException.badField(null, "malformed JSON: " + e.getOriginalMessage());
            }
            EventsController.Event e = EventsController.Event.of(body);
            decision = service.handle(e.id(), e.type(), e.inputs(), start);
        } catch (ApiException e) {
            Problems.write(response, e, PATH);
            return e.status().value();
        } catch (PayloadTooLargeException big) {
            Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "too-large", big.getMessage(), PATH);
            return 413;
        } catch (RuntimeException e) {
            log.error("real-time event failed", e);
            Problems.write(response, HttpStatus.INTERNAL_SERVER_ERROR, "internal", "unexpected error; see the server log", PATH);
            return 500;
        }
        byte[] out = DecisionJson.write(json, decision);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setContentLength(out.length);
        response.getOutputStream().write(out);
        return 200;
    }

    /** The body, at most {@link #maxBytes} (a longer one is a 413, as for every JSON route). */
    private byte[] body(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        InputStream in = request.getInputStream();
        if (declared >= 0) {
            byte[] b = in.readNBytes((int) declared);
            if (in.read() >= 0) throw new PayloadTooLargeException(maxBytes); // Tomcat ends the stream at the declared length
            return b;
        }
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)); // chunked
        if (b.length > maxBytes) throw new PayloadTooLargeException(maxBytes);
        return b;
    }

    private Timer timer(int status) {
        Timer t = timers.get(status);
        if (t != null) return t;
        return timers.computeIfAbsent(status, s -> Timer.builder("leak.events")
                .description("POST /api/v1/events answered by the API-key fast path (not in http.server.requests)")
                .tag("status", Integer.toString(s))
                .tag("outcome", s < 300 ? "SUCCESS" : s < 500 ? "CLIENT_ERROR" : "SERVER_ERROR")
                .register(meters));
    }

    @Configuration(proxyBeanMethods = false)
    static class Registration {
        @Bean
        FilterRegistrationBean<EventsFastPath> eventsFastPath(ApiKeys keys, RealtimeService service, JsonMapper json,
                                                              RoleHierarchy roles,
                                                              @Value("${leak.web.max-json-bytes:8388608}") long maxBytes,
                                                              ObjectProvider<MeterRegistry> meters) {
            FilterRegistrationBean<EventsFastPath> r = new FilterRegistrationBean<>(
                    new EventsFastPath(keys, service, json, roles, maxBytes, meters.getIfAvailable()));
            r.addUrlPatterns(PATH);
            // First, before the HTTP server observation (HIGHEST_PRECEDENCE + 1) and the body size filter (+ 10)
            r.setOrder(Ordered.HIGHEST_PRECEDENCE);
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
