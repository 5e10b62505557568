package io.leakdetector.app.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small real HTTP client for full-server tests: JSON in, status + body out. */
public final class Http {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Response(int status, String contentType, String body) {}

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }

    public Response get(String path, String auth) {
        return send("GET", path, auth, null, null);
    }

    public Response post(String path, String auth, String json) {
        return send("POST", path, auth, "application/json", json);
    }

    public Response send(String method, String path, String auth, String contentType, String body) {
        return send(method, path, auth, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), null);
    }

    public Response send(String method, String path, String auth, String contentType, byte[] body, String[] headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) b.header("Authorization", auth);
        if (contentType != null) b.header("Content-Type", contentType);
        if (headers != null) {
            for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        }
    }
}
