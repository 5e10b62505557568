package io.leakdetector.app.webhook;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import io.leakdetector.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Stripe webhooks: the {@code Stripe-Signature} header is verified by stripe-java against the endpoint
 * secret with a timestamp tolerance, then the typed event is stored once per event id.
 */
@RestController
@Tag(name = "webhooks", description = "provider webhooks, authenticated by their signatures")
class StripeWebhookController {
    private final WebhookProperties properties;
    private final WebhookReceiver receiver;
    private final Clock clock;

    StripeWebhookController(WebhookProperties properties, WebhookReceiver receiver, Clock webhookClock) {
        this.properties = properties;
        this.receiver = receiver;
        this.clock = webhookClock;
    }

    @PostMapping(path = "/webhooks/stripe", consumes = "*/*")
    @Operation(summary = "Stripe webhook endpoint (Stripe-Signature verified, 300 s tolerance, idempotent on event id)")
    WebhookOutcome receive(@RequestBody(required = false) String payload,
                           @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
        if (WebhookProperties.blank(properties.stripeSecret())) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "not-configured", null,
                    "Stripe webhooks are off: set LEAK_STRIPE_WEBHOOK_SECRET");
        }
        if (signature == null || signature.isBlank()) {
            throw ApiException.badField("Stripe-Signature", "missing Stripe-Signature header");
        }
        if (payload == null || payload.isEmpty()) throw ApiException.badField(null, "empty body");
        Event event;
        try {
            event = Webhook.constructEvent(payload, signature, properties.stripeSecret(),
                    properties.stripeToleranceSeconds(), clock);
        } catch (SignatureVerificationException e) {
            // The message says wrong signature or timestamp outside the tolerance; it never contains the secret.
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-signature", "Stripe-Signature", e.getMessage());
        } catch (RuntimeException e) { // Gson's parse errors: the body is not JSON or not an event
            throw ApiException.badField(null, "body is not a Stripe event: " + e.getMessage());
        }
        if (event.getId() == null || event.getType() == null) {
            throw ApiException.badField(event.getId() == null ? "id" : "type", "a Stripe event needs an id and a type");
        }
        return receiver.receive("stripe", event.getId(), event.getType(), signature, StripeEventMapper.map(event));
    }
}
