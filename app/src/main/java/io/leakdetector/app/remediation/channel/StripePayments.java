package io.leakdetector.app.remediation.channel;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Invoice;
import com.stripe.net.RequestOptions;
import com.stripe.param.InvoicePayParams;
import io.leakdetector.app.remediation.ActionExecutor;
import io.leakdetector.app.remediation.ActionRepository;
import io.leakdetector.app.remediation.RemediationAction;
import io.leakdetector.app.remediation.Recoveries;
import io.leakdetector.app.remediation.ActionStatus;
import java.time.Instant;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retry payment: pays the open invoice through Stripe's API (stripe-java, {@code POST /v1/invoices/{id}/pay}) with the
 * action's idempotency key as Stripe's {@code Idempotency-Key}. The intent (the key) is committed to
 * {@code payment_intents} BEFORE the request leaves; when the process dies before the answer is recorded, the re-run
 * finds the key and sends the same request with the same key, which Stripe answers without charging again. A key that
 * already has an answer is never sent again. stripe-java's own network retries are off: the durable job retries.
 */
public final class StripePayments implements ActionExecutor {
    private final StripeClient stripe;
    private final ActionRepository intents;
    private final TransactionTemplate tx;

    /** {@code apiKey} blank: every retry fails with a message naming LEAK_STRIPE_API_KEY. */
    public StripePayments(String apiKey, String apiBase, int timeoutMillis, ActionRepository intents, TransactionTemplate tx) {
        this.stripe = apiKey == null || apiKey.isBlank() ? null : StripeClient.builder().setApiKey(apiKey).setApiBase(apiBase)
                .setMaxNetworkRetries(0).setConnectTimeout(timeoutMillis).setReadTimeout(timeoutMillis).build();
        this.intents = intents;
        this.tx = tx;
    }

    @Override
    public Outcome execute(Context c) {
        if (stripe == null) throw new Permanent("Stripe is not configured: set LEAK_STRIPE_API_KEY (leak.remediation.stripe-api-key)");
        RemediationAction a = c.action();
        String subject = c.finding().subject();
        if (!subject.startsWith("invoice:")) throw new Permanent("retry_payment needs a finding about an invoice, not " + subject);
        String invoiceId = subject.substring("invoice:".length());
        String key = a.idempotencyKey();
        Optional<ActionRepository.Intent> known = intents.intent(key);
        if (known.isPresent() && !"sending".equals(known.get().state())) {
            // answered before (e.g. the process died after recording the answer but before finishing the action)
            return outcomeOf(c, known.get().state(), known.get().amountPaidMinor(), known.get().detail(), invoiceId);
        }
        tx.executeWithoutResult(s -> intents.recordSend(key, a.id(), c.finding().id(), invoiceId));
        Invoice paid;
        try {
            paid = stripe.v1().invoices().pay(invoiceId, InvoicePayParams.builder().build(),
                    RequestOptions.builder().setIdempotencyKey(key).build());
        } catch (CardException e) {
            String detail = "declined: " + (e.getDeclineCode() != null ? e.getDeclineCode() : e.getCode());
            tx.executeWithoutResult(s -> intents.recordAnswer(key, "declined", null, detail));
            return Outcome.failed(detail);
        } catch (ApiConnectionException | RateLimitException | IdempotencyException e) {
            throw new Retryable("Stripe did not answer: " + e.getClass().getSimpleName() + " " + e.getStatusCode());
        } catch (AuthenticationException e) {
            throw new Permanent("Stripe refused the API key (LEAK_STRIPE_API_KEY): " + e.getStatusCode());
        } catch (InvalidRequestException e) {
            String detail = "Stripe rejected the request: " + e.getCode() + " " + (e.getStripeError() == null ? "" : e.getStripeError().getMessage());
            tx.executeWithoutResult(s -> intents.recordAnswer(key, "rejected", null, detail));
            return Outcome.failed(detail);
        } catch (StripeException e) {
            Integer status = e.getStatusCode();
            if (status == null || status >= 500) throw new Retryable("Stripe answered " + status);
            throw new Retryable("Stripe answered " + status + ": " + e.getCode());
        }
        String state = "paid".equals(paid.getStatus()) ? "paid" : "declined";
        Long amount = paid.getAmountPaid();
        String detail = "invoice " + invoiceId + " is " + paid.getStatus() + " (amount paid " + amount + ")";
        tx.executeWithoutResult(s -> intents.recordAnswer(key, state, amount, detail));
        return outcomeOf(c, state, amount, detail, invoiceId);
    }

    private static Outcome outcomeOf(Context c, String state, Long amountPaid, String detail, String invoiceId) {
        if (!"paid".equals(state)) return Outcome.failed(detail);
        long owed = c.finding().amountOneTime().minor();
        long amount = amountPaid == null ? owed : Math.min(owed, amountPaid);
        return new Outcome(ActionStatus.SUCCEEDED, detail, "stripe:invoice:" + invoiceId,
                new Recoveries.Recovery(c.finding().id(), Instant.now(), amount, c.finding().currency().getCurrencyCode(),
                        "stripe_retry", "invoice:" + invoiceId));
    }
}
