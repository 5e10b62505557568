package io.leakdetector.app.web;

import io.leakdetector.core.domain.DomainValidationException;
import io.leakdetector.core.ingest.RowRejectedException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Maps every exception that leaves a controller to an RFC 9457 problem: bad input is a 400 naming the field,
 * never a 500; unknown things are 404; oversized bodies 413.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e) {
        ProblemDetail p = Problems.of(e.status(), e.code(), e.getMessage());
        if (e.field() != null) p.setProperty("field", e.field());
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE || e.status() == HttpStatus.TOO_MANY_REQUESTS) {
            return ResponseEntity.status(e.status()).header(HttpHeaders.RETRY_AFTER, "1").body(p);
        }
        return respond(p);
    }

    @ExceptionHandler(DomainValidationException.class)
    ResponseEntity<ProblemDetail> domain(DomainValidationException e) {
        return respond(Problems.badField(e.field(), e.getMessage()));
    }

    @ExceptionHandler(RowRejectedException.class)
    ResponseEntity<ProblemDetail> row(RowRejectedException e) {
        return respond(Problems.badField(e.column(), e.column() == null ? e.reason() : e.column() + ": " + e.reason()));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(Problems.badField(e.getName(), e.getName() + ": cannot read '" + e.getValue() + "'"));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<ProblemDetail> illegalArgument(IllegalArgumentException e) {
        return respond(Problems.of(HttpStatus.BAD_REQUEST, "bad-request", e.getMessage()));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return respond(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", e.getMessage()));
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(MaxUploadSizeExceededException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return new ResponseEntity<>(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large",
                "upload larger than the limit of " + ex.getMaxUploadSize() + " bytes"), HttpStatus.CONTENT_TOO_LARGE);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = ex.getCause();
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException big) {
                return new ResponseEntity<>(Problems.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", big.getMessage()),
                        HttpStatus.CONTENT_TOO_LARGE);
            }
            if (t instanceof DomainValidationException d) {
                return new ResponseEntity<>(Problems.badField(d.field(), d.getMessage()), HttpStatus.BAD_REQUEST);
            }
        }
        String field = null;
        String detail = "request body is not valid JSON";
        if (cause instanceof DatabindException db && !db.getPath().isEmpty()) {
            field = jsonPath(db);
            detail = "cannot read field " + field + ": " + db.getOriginalMessage();
        } else if (cause instanceof JacksonException je) {
            detail = "request body is not valid JSON: " + je.getOriginalMessage();
        }
        return new ResponseEntity<>(Problems.badField(field, detail), HttpStatus.BAD_REQUEST);
    }

    /** {@code lines[2].amount} from Jackson's path. */
    private static String jsonPath(DatabindException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        var fe = ex.getBindingResult().getFieldError();
        String field = fe == null ? null : fe.getField();
        String detail = fe == null ? "invalid request" : fe.getField() + " " + fe.getDefaultMessage();
        return new ResponseEntity<>(Problems.badField(field, detail), HttpStatus.BAD_REQUEST);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (clientAborted(e)) {
            // the client went away mid-response (a page left while an asset loaded): nothing to answer, nothing broken
            log.debug("client closed the connection: {}", e.getMessage());
            return null;
        }
        // A bug, not bad input: logged with its stack, answered without internals.
        log.error("unexpected error", e);
        return respond(Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "unexpected error; see the server log"));
    }

    private static boolean clientAborted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.apache.catalina.connector.ClientAbortException")) return true;
        }
        return false;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus()).body(p);
    }

    static URI type(String code) {
        return URI.create(Problems.TYPE_BASE + code);
    }
}
