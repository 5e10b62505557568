package io.leakdetector.app.web;

/** A request body went past the configured limit while it was being read. */
public class PayloadTooLargeException extends RuntimeException {
    public PayloadTooLargeException(long limit) {
        super("request body larger than the limit of " + limit + " bytes", null, false, false);
    }
}
