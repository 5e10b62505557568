package io.leakdetector.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.util.Json;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every API route the application maps, found by asking Spring MVC, tried without credentials (401) and with a
 * role one step too small (403). New routes are covered without editing this test.
 */
@ServerTest
class RouteSecurityServerTest {
    static final String ADMIN = Http.basic("admin", "admin-secret-123");

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    String viewerKey;
    String analystKey;

    record Route(String method, String path) {}

    @BeforeEach
    void keys() {
        viewerKey = key("viewer");
        analystKey = key("analyst");
    }

    @SuppressWarnings("unchecked")
    String key(String role) {
        Http.Response r = new Http(port).post("/api/v1/admin/api-keys", ADMIN, "{\"name\":\"" + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).isEqualTo(201);
        return (String) ((Map<String, Object>) Json.parse(r.body())).get("key");
    }

    List<Route> apiRoutes() {
        Set<String> seen = new TreeSet<>();
        List<Route> routes = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            Set<String> patterns = info.getPatternValues();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : patterns) {
                if (!pattern.startsWith("/api/")) continue;
                String path = pattern.replaceAll("\\{[^}]+}", "x1");
                for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    if (seen.add(m + " " + path)) routes.add(new Route(m.name(), path));
                }
            }
        });
        routes.add(new Route("GET", "/v3/api-docs"));
        return routes;
    }

    /** The smallest role a route needs: reads are for viewers, admin/** and settings/** for admins, other writes for analysts. */
    static String needed(Route r) {
        if (r.path().startsWith("/api/v1/admin/") || r.path().startsWith("/api/v1/settings/") || r.path().equals("/api/v1/ml/retrain")) return "admin";
        return r.method().equals("GET") ? "viewer" : "analyst";
    }

    @Test
    void everyApiRouteNeedsCredentials() {
        Http http = new Http(port);
        List<Route> routes = apiRoutes();
        assertThat(routes).extracting(Route::path).contains("/api/v1/events", "/api/v1/admin/users");
        for (Route r : routes) {
            Http.Response res = http.send(r.method(), r.path(), null, "application/json", "{}");
            assertThat(res.status()).as(r + " without credentials").isEqualTo(401);
            assertThat(res.contentType()).as(r.toString()).startsWith("application/problem+json");
        }
    }

    @Test
    void everyRouteRefusesARoleTooSmall() {
        Http http = new Http(port);
        int checked = 0;
        for (Route r : apiRoutes()) {
            String role = needed(r);
            String tooSmall = switch (role) {
                case "admin" -> analystKey;
                case "analyst" -> viewerKey;
                default -> null; // viewer is the smallest role
            };
            if (tooSmall == null) {
                Http.Response ok = http.send(r.method(), r.path(), Http.bearer(viewerKey), "application/json", "{}");
                assertThat(ok.status()).as(r + " as viewer").isNotIn(401, 403);
                continue;
            }
            Http.Response res = http.send(r.method(), r.path(), Http.bearer(tooSmall), "application/json", "{}");
            assertThat(res.status()).as(r + " with a role below " + role).isEqualTo(403);
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    void webhooksNeedNoLoginButPagesDo() {
        Http http = new Http(port);
        assertThat(http.post("/webhooks/stripe", null, "{}").status()).isEqualTo(400); // missing signature, not 401
        Http.Response page = http.get("/swagger-ui/index.html", null);
        assertThat(page.status()).isIn(302, 401);
        assertThat(http.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(http.get("/actuator/prometheus", null).status()).isEqualTo(401);
    }

    @Test
    void assetsAndSwaggerUiAreServedWithoutTheResourceChain() {
        Http http = new Http(port);
        // the pages' versioned WebJars paths and own assets, public so the login page can use them
        assertThat(http.get("/webjars/htmx.org/2.0.10/dist/htmx.min.js", null).status()).isEqualTo(200);
        assertThat(http.get("/webjars/echarts/5.5.0/echarts.min.js", null).status()).isEqualTo(200);
        assertThat(http.get("/css/app.css", null).status()).isEqualTo(200);
    }

    @Test
    void swaggerUiLoadsAfterFormLoginWithoutTheResourceChain() throws Exception {
        // Swagger UI resolves its own WebJar (springdoc's resolver), with Boot's resource chain switched off
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager()).build();
        String base = "http://127.0.0.1:" + port;
        String login = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(login);
        assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
        String form = "username=admin&password=admin-secret-123&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
        var ui = browser.send(HttpRequest.newBuilder(URI.create(base + "/swagger-ui/index.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
        var init = browser.send(HttpRequest.newBuilder(URI.create(base + "/swagger-ui/swagger-initializer.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(init.statusCode()).isEqualTo(200);
        assertThat(init.body()).contains("/v3/api-docs");
    }
}
