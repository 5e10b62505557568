package io.leakdetector.app.web;

import org.springframework.http.HttpStatus;

/** An error with its HTTP status, a stable code and (for bad input) the field at fault; mapped to problem+json. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;
    private final String field;

    public ApiException(HttpStatus status, String code, String field, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException badField(String field, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-field", field, detail);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", null, what + " " + id + " does not exist");
    }

    public static ApiException notFoundWith(String what, String id, String hint) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", null, what + " " + id + " does not exist; " + hint);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", null, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
