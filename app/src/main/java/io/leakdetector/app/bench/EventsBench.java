package io.leakdetector.app.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An open-loop load generator for {@code POST /api/v1/events} (the wrk2 model): request {@code i} is due at
 * {@code start + i / rate} whether or not earlier answers have come back, and its latency is counted from that due
 * time, so a stalled server shows in the percentiles instead of slowing the load down (no coordinated omission).
 * Keep-alive HTTP/1.1 over loopback, one thread per connection; every latency is kept, so percentiles are exact.
 * The events vary over many customers: invoices with a line, failed and successful payments on them, usage.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Open-loop load on POST /api/v1/events at a fixed rate; prints exact latency percentiles.")
public final class EventsBench implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "the service (loopback only; default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--key", required = true, description = "an API key of role analyst")
    String key;

    @Option(names = "--rate", defaultValue = "2000", description = "events per second (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--seconds", defaultValue = "30", description = "measured seconds (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--warmup", defaultValue = "20", description = "seconds of the same load before measuring (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--connections", defaultValue = "64", description = "connections, one thread each (default ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--customers", defaultValue = "5000", description = "distinct customers the events are about (default ${DEFAULT-VALUE})")
    int customers;

    @Override
    public Integer call() throws Exception {
        URI u = URI.create(url);
        String host = u.getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
            System.err.println("bench events drives loopback addresses only, not " + host);
            return 2;
        }
        int port = u.getPort() < 0 ? 80 : u.getPort();
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        if (warmup > 0) {
            System.out.printf(Locale.ROOT, "warm-up: %d s at %.0f events/s%n", warmup, rate);
            phase(host, port, run + "w", warmup);
        }
        Result r = phase(host, port, run, seconds);
        r.print(rate, seconds);
        return r.errors > 0 ? 1 : 0;
    }

    /** What one phase saw. */
    static final class Result {
        long ok, rejected, errors, late;
        long[] latencyNanos = new long[0];
        long[] serviceNanos = new long[0];
        double elapsedSeconds;

        void print(double rate, int seconds) {
            Arrays.sort(latencyNanos);
            Arrays.sort(serviceNanos);
            System.out.printf(Locale.ROOT, "target %.0f events/s for %d s: %d answered 200 (%.0f/s), %d refused (429/503), %d errors%n",
                    rate, seconds, ok, ok / elapsedSeconds, rejected, errors);
            System.out.printf(Locale.ROOT, "latency from due time (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    pct(latencyNanos, 50), pct(latencyNanos, 90), pct(latencyNanos, 99), pct(latencyNanos, 99.9), pct(latencyNanos, 100));
            System.out.printf(Locale.ROOT, "service time (ms):          p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    pct(serviceNanos, 50), pct(serviceNanos, 90), pct(serviceNanos, 99), pct(serviceNanos, 99.9), pct(serviceNanos, 100));
            if (late > 0) System.out.printf(Locale.ROOT, "%d requests were sent more than 10 ms after their due time (the client fell behind)%n", late);
        }

        static double pct(long[] sorted, double p) {
            if (sorted.length == 0) return Double.NaN;
            int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
        }
    }

    private Result phase(String host, int port, String run, int secs) throws InterruptedException {
        long total = (long) (rate * secs);
        double periodNanos = 1e9 / rate;
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) workers.add(new Worker(host, port, run, next, total, start, periodNanos));
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            Thread t = new Thread(w, "load");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join(1000L * secs + 120_000);
        Result r = new Result();
        int n = 0;
        for (Worker w : workers) n += w.count;
        r.latencyNanos = new long[n];
        r.serviceNanos = new long[n];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latency, 0, r.latencyNanos, at, w.count);
            System.arraycopy(w.service, 0, r.serviceNanos, at, w.count);
            at += w.count;
            r.ok += w.ok;
            r.rejected += w.rejected;
            r.errors += w.errors;
            r.late += w.late;
        }
        r.elapsedSeconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        return r;
    }

    private final class Worker implements Runnable {
        final String host;
        final int port;
        final String run;
        final AtomicLong next;
        final long total;
        final long start;
        final double periodNanos;
        long[] latency = new long[1024];
        long[] service = new long[1024];
        int count;
        long ok, rejected, errors, late;
        Socket socket;
        OutputStream out;
        InputStream in;

        Worker(String host, int port, String run, AtomicLong next, long total, long start, double periodNanos) {
            this.host = host;
            this.port = port;
            this.run = run;
            this.next = next;
            this.total = total;
            this.start = start;
            this.periodNanos = periodNanos;
        }

        @Override
        public void run() {
            for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long due = start + (long) (i * periodNanos);
                long wait = due - System.nanoTime();
                if (wait > 0) LockSupport.parkNanos(wait);
                long sent = System.nanoTime();
                if (sent - due > 10_000_000L) late++;
                int status;
                try {
                    status = send(body(i));
                } catch (IOException e) {
                    status = -1;
                    close();
                }
                long done = System.nanoTime();
                if (status == 200) ok++;
                else if (status == 429 || status == 503) rejected++;
                else errors++;
                if (count == latency.length) {
                    latency = Arrays.copyOf(latency, count * 2);
                    service = Arrays.copyOf(service, count * 2);
                }
                latency[count] = done - due;
                service[count] = done - sent;
                count++;
            }
            close();
        }

        private String body(long i) {
            // Four events per invoice: created (with a line), a failed attempt, a successful retry, and usage.
            long inv = i / 4;
            String c = "bc_" + (inv % customers);
            String id = run + "_" + inv;
            int day = 1 + (int) (inv % 28);
            String date = String.format(Locale.ROOT, "2026-10-%02dT00:00:00Z", day);
            return switch ((int) (i % 4)) {
                case 0 -> "{\"event_id\":\"e_" + id + "_c\",\"type\":\"invoice.created\",\"data\":{\"invoice_id\":\"bi_" + id
                        + "\",\"customer_id\":\"" + c + "\",\"status\":\"open\",\"created_at\":\"" + date
                        + "\",\"currency\":\"USD\",\"subtotal\":\"49.00\",\"total\":\"49.00\"},\"lines\":[{\"line_id\":\"bl_" + id
                        + "\",\"invoice_id\":\"bi_" + id + "\",\"kind\":\"subscription\",\"currency\":\"USD\",\"unit_amount\":\"49.00\",\"amount\":\"49.00\"}]}";
                case 1 -> "{\"event_id\":\"e_" + id + "_f\",\"type\":\"payment.failed\",\"data\":{\"payment_id\":\"bp_" + id
                        + "_1\",\"invoice_id\":\"bi_" + id + "\",\"customer_id\":\"" + c + "\",\"attempted_at\":\"" + date.replace("T00", "T01")
                        + "\",\"currency\":\"USD\",\"amount\":\"49.00\",\"status\":\"failed\",\"decline_code\":\"insufficient_funds\"}}";
                case 2 -> inv % 3 == 0 // two invoices in three are recovered; the third stays a FAILED_PAYMENT finding
                        ? "{\"event_id\":\"e_" + id + "_u2\",\"type\":\"usage.recorded\",\"data\":{\"usage_id\":\"bu2_" + id
                        + "\",\"customer_id\":\"" + c + "\",\"metric\":\"api_calls\",\"period_start\":\"" + date + "\",\"quantity\":\"" + (inv % 500) + "\"}}"
                        : "{\"event_id\":\"e_" + id + "_s\",\"type\":\"payment.succeeded\",\"data\":{\"payment_id\":\"bp_" + id
                        + "_2\",\"invoice_id\":\"bi_" + id + "\",\"customer_id\":\"" + c + "\",\"attempted_at\":\"" + date.replace("T00", "T02")
                        + "\",\"currency\":\"USD\",\"amount\":\"49.00\",\"status\":\"succeeded\"}}";
                default -> "{\"event_id\":\"e_" + id + "_u\",\"type\":\"usage.recorded\",\"data\":{\"usage_id\":\"bu_" + id
                        + "\",\"customer_id\":\"" + c + "\",\"metric\":\"api_calls\",\"period_start\":\"" + date + "\",\"quantity\":\"" + (1000 + inv % 7) + "\"}}";
            };
        }

        private int send(String body) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 5000);
                socket.setSoTimeout(30_000);
                out = socket.getOutputStream();
                in = new BufferedInputStream(socket.getInputStream(), 16384);
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /api/v1/events HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] req = Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, req, h.length, b.length);
            out.write(req);
            out.flush();
            return readResponse();
        }

        /** Reads one response (Content-Length or chunked body) and returns its status. */
        private int readResponse() throws IOException {
            String status = line();
            if (status == null) throw new IOException("connection closed");
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false, closeAfter = false;
            for (String l = line(); l != null && !l.isEmpty(); l = line()) {
                String lower = l.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) length = Long.parseLong(lower.substring(15).trim());
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) chunked = true;
                else if (lower.startsWith("connection:") && lower.contains("close")) closeAfter = true;
            }
            if (chunked) {
                for (long n = Long.parseLong(line().trim(), 16); n > 0; n = Long.parseLong(line().trim(), 16)) {
                    skip(n);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            if (closeAfter) close();
            return code;
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) throw new IOException("connection closed");
                    s = 1;
                }
                n -= s;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                    return sb.toString();
                }
                sb.append((char) c);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        private void close() {
            try {
                if (socket != null) socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
            socket = null;
        }
    }
}
