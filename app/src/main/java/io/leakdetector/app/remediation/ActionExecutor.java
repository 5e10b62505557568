package io.leakdetector.app.remediation;

import io.leakdetector.core.finding.Finding;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Carries out one kind of action toward the outside world. Throws {@link Retryable} (or any unexpected exception) to
 * have the durable job retried with backoff, {@link Permanent} when a retry cannot help.
 */
@FunctionalInterface
public interface ActionExecutor {
    Outcome execute(Context context) throws Exception;

    /** The action, its finding, and the store. */
    record Context(RemediationAction action, Finding finding, JdbcClient jdbc) {}

    /** How an action ended; {@code recovery} when it brought the money back (a paid invoice). */
    record Outcome(ActionStatus status, String detail, String externalRef, Recoveries.Recovery recovery) {
        public static Outcome succeeded(String detail, String externalRef) {
            return new Outcome(ActionStatus.SUCCEEDED, detail, externalRef, null);
        }

        public static Outcome failed(String detail) {
            return new Outcome(ActionStatus.FAILED, detail, null, null);
        }

        public static Outcome skipped(String detail) {
            return new Outcome(ActionStatus.SKIPPED, detail, null, null);
        }
    }

    /** A failure that may pass on a later try (timeout, 5xx, 429): the job is retried with the same idempotency key. */
    final class Retryable extends RuntimeException {
        public Retryable(String message) {
            super(message, null, false, false);
        }
    }

    /** A failure a retry cannot fix (4xx, missing configuration, no e-mail address): the action fails now. */
    final class Permanent extends RuntimeException {
        public Permanent(String message) {
            super(message, null, false, false);
        }
    }
}
