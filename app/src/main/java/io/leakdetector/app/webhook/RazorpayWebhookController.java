package io.leakdetector.app.webhook;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.util.Json;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Receives Razorpay webhooks: {@code X-Razorpay-Signature} must be the hex HMAC-SHA256 of the raw body with the
 * webhook secret (compared in constant time); the event must be younger than the tolerance; it is stored once per
 * event id ({@code X-Razorpay-Event-Id}).
 */
@RestController
@Tag(name = "webhooks")
class RazorpayWebhookController {
    private final WebhookProperties properties;
    private final WebhookReceiver receiver;
    private final Clock clock;

    RazorpayWebhookController(WebhookProperties properties, WebhookReceiver receiver, Clock webhookClock) {
        this.properties = properties;
        this.receiver = receiver;
        this.clock = webhookClock;
    }

    @PostMapping(path = "/webhooks/razorpay", consumes = "*/*")
    @Operation(summary = "Razorpay webhook endpoint (X-Razorpay-Signature verified, idempotent on X-Razorpay-Event-Id)")
    WebhookOutcome receive(@RequestBody(required = false) byte[] body,
                           @RequestHeader(name = "X-Razorpay-Signature", required = false) String signature,
                           @RequestHeader(name = "X-Razorpay-Event-Id", required = false) String eventIdHeader) {
        if (WebhookProperties.blank(properties.razorpaySecret())) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "not-configured", null,
                    "Razorpay webhooks are off: set LEAK_RAZORPAY_WEBHOOK_SECRET");
        }
        if (signature == null || signature.isBlank()) {
            throw ApiException.badField("X-Razorpay-Signature", "missing X-Razorpay-Signature header");
        }
        if (body == null || body.length == 0) throw ApiException.badField(null, "empty body");
        if (!verify(body, signature.strip(), properties.razorpaySecret())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid-signature", "X-Razorpay-Signature",
                    "signature does not match the body");
        }
        Map<String, Object> event;
        try {
            event = RazorpayEventMapper.obj(Json.parse(new String(body, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badField(null, "body is not JSON: " + e.getMessage());
        }
        if (event == null) throw ApiException.badField(null, "body is not a JSON object");
        if (!(event.get("event") instanceof String type) || type.isBlank()) {
            throw ApiException.badField("event", "a Razorpay event needs its type in 'event'");
        }
        if (!(event.get("created_at") instanceof BigDecimal created)) {
            throw ApiException.badField("created_at", "a Razorpay event needs created_at (epoch seconds)");
        }
        long age = clock.instant().getEpochSecond() - created.longValue();
        if (age > properties.razorpayToleranceSeconds()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "stale-event", "created_at",
                    "event is " + age + " s old, more than the tolerance of " + properties.razorpayToleranceSeconds() + " s");
        }
        // Razorpay names every delivery's event in a header; without it the signature (one per body) identifies it.
        String eventId = eventIdHeader != null && !eventIdHeader.isBlank() ? eventIdHeader.strip() : "sig:" + signature.strip();
        return receiver.receive("razorpay", eventId, type, signature.strip(), RazorpayEventMapper.map(type, event, eventId));
    }

    /** Hex HMAC-SHA256 of the raw body, compared in constant time. */
    static boolean verify(byte[] body, String signatureHex, String secret) {
        byte[] expected = hmac(body, secret);
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHex.toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    static byte[] hmac(byte[] body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
