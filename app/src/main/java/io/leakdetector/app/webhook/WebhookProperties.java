package io.leakdetector.app.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Provider webhook settings bound from {@code leak.webhooks.*}. Secrets are never logged.
 *
 * @param stripeSecret             Stripe endpoint signing secret {@code whsec_…} (env LEAK_STRIPE_WEBHOOK_SECRET); blank: receiver off
 * @param razorpaySecret           Razorpay webhook secret (env LEAK_RAZORPAY_WEBHOOK_SECRET); blank: receiver off
 * @param stripeToleranceSeconds   how old a Stripe signature timestamp may be; default 300
 * @param razorpayToleranceSeconds how old a Razorpay event ({@code created_at}) may be; default 300. Razorpay's signature
 *                                 carries no timestamp and its retries keep {@code created_at}: raise this to accept
 *                                 retries after a longer outage
 */
@ConfigurationProperties("leak.webhooks")
public record WebhookProperties(String stripeSecret, String razorpaySecret,
                                @DefaultValue("300") long stripeToleranceSeconds,
                                @DefaultValue("300") long razorpayToleranceSeconds) {

    @Override
    public String toString() {
        return "WebhookProperties[stripeSecret=" + (blank(stripeSecret) ? "unset" : "***") + ", razorpaySecret="
                + (blank(razorpaySecret) ? "unset" : "***") + ", stripeToleranceSeconds=" + stripeToleranceSeconds
                + ", razorpayToleranceSeconds=" + razorpayToleranceSeconds + "]";
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
