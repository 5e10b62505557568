package io.leakdetector.app.web;

import io.leakdetector.core.util.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** RFC 9457 problem documents: one shape for every error, also where a servlet filter answers before MVC. */
public final class Problems {
    /** Type URIs name the kind of problem; they are stable codes, not links. */
    public static final String TYPE_BASE = "urn:leak-detector:problem:";

    private Problems() {}

    /** A problem whose {@code type} is {@code urn:leak-detector:problem:<code>}. */
    public static ProblemDetail of(HttpStatus status, String code, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create(TYPE_BASE + code));
        p.setTitle(status.getReasonPhrase());
        return p;
    }

    /** A 400 naming the offending field. */
    public static ProblemDetail badField(String field, String detail) {
        ProblemDetail p = of(HttpStatus.BAD_REQUEST, "invalid-field", detail);
        if (field != null) p.setProperty("field", field);
        return p;
    }

    /** Writes a problem straight to a servlet response (for filters and security handlers). */
    public static void write(HttpServletResponse response, HttpStatus status, String code, String detail,
                             String instance) throws IOException {
        write(response, status, code, detail, instance, null);
    }

    /**
     * Writes an {@link ApiException} as {@code ProblemHandler} answers it (the field at fault; Retry-After on 429 and
     * 503), for a filter that answers before MVC.
     */
    public static void write(HttpServletResponse response, ApiException e, String instance) throws IOException {
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE || e.status() == HttpStatus.TOO_MANY_REQUESTS) {
            response.setHeader("Retry-After", "1");
        }
        write(response, e.status(), e.code(), e.getMessage(), instance, e.field());
    }

    private static void write(HttpServletResponse response, HttpStatus status, String code, String detail,
                              String instance, String field) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + code);
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        if (instance != null) body.put("instance", instance);
        if (field != null) body.put("field", field);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.write(body));
    }
}
