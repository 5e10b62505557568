package io.leakdetector.app.remediation.channel;

import io.leakdetector.app.remediation.ActionExecutor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * JSON over HTTP for the ticket, chat and webhook integrations: a timeout, a connection failure, a 429 or a 5xx is
 * {@link ActionExecutor.Retryable}; another 4xx is {@link ActionExecutor.Permanent}. Messages name the status and the
 * host, never a header (credentials travel in headers).
 */
public final class HttpJson {
    private final HttpClient client;
    private final Duration timeout;

    public HttpJson(Duration connectTimeout, Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
    }

    /** A 2xx answer's body. */
    public String send(String method, String url, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) b.header("Content-Type", "application/json");
        b.header("Accept", "application/json");
        headers.forEach(b::header);
        String where = method + " " + URI.create(url).getHost() + URI.create(url).getPath();
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ActionExecutor.Retryable(where + " timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new ActionExecutor.Retryable(where + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionExecutor.Retryable(where + " interrupted");
        }
        int s = r.statusCode();
        if (s >= 200 && s < 300) return r.body();
        String snippet = r.body() == null ? "" : r.body().substring(0, Math.min(300, r.body().length()));
        if (s == 429 || s >= 500) throw new ActionExecutor.Retryable(where + " answered " + s);
        throw new ActionExecutor.Permanent(where + " answered " + s + ": " + snippet);
    }
}
