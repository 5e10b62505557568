package io.leakdetector.app.store;

/** The configured database cannot be reached or opened; the message names it (without the password). */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
