package io.leakdetector.app.remediation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A Stripe stand-in on the loopback interface that behaves like Stripe's idempotency: the first request with a key
 * takes effect (charges the invoice) and its answer is kept; a later request with the same key gets the kept answer
 * and takes no new effect. It records every request, and can swallow the first answer (hang) to let a test kill the
 * caller between sending and recording.
 */
final class FakeStripe implements AutoCloseable {
    record Request(String method, String path, String idempotencyKey, String authorization) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** Keys that took effect: one entry per real charge. */
    final Map<String, String> effects = new ConcurrentHashMap<>();
    final CountDownLatch firstRequest = new CountDownLatch(1);
    volatile boolean hangFirst;
    private final HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    FakeStripe() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
        String path = ex.getRequestURI().getPath();
        requests.add(new Request(ex.getRequestMethod(), path, key, ex.getRequestHeaders().getFirst("Authorization")));
        String invoice = path.replaceAll("^/v1/invoices/([^/]+)/pay$", "$1");
        boolean first = effects.putIfAbsent(key == null ? "none" : key, invoice) == null;
        firstRequest.countDown();
        if (first && hangFirst) {
            try {
                release.await(); // the charge happened; the answer never leaves
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        byte[] body = ("{\"id\":\"" + invoice + "\",\"object\":\"invoice\",\"status\":\"paid\",\"amount_paid\":4900,\"currency\":\"usd\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (key != null) ex.getResponseHeaders().add("Idempotency-Key", key);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
