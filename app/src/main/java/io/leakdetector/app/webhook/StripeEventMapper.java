package io.leakdetector.app.webhook;

import com.stripe.model.Charge;
import com.stripe.model.Customer;
import com.stripe.model.Dispute;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.InvoiceLineItem;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Price;
import com.stripe.model.Refund;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.SubscriptionItem;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a verified Stripe event into the records of core's data files, by the event's typed object (stripe-java
 * parses it): invoices with their lines, charges and payment intents as payments, refunds, disputes,
 * subscriptions with their price, customers. Amounts arrive in minor units and are written in major units, as
 * in the CSV files, so that one schema validates both.
 */
final class StripeEventMapper {
    private StripeEventMapper() {}

    static WebhookReceiver.Mapped map(Event event) {
        Optional<StripeObject> obj = event.getDataObjectDeserializer().getObject();
        if (obj.isEmpty()) {
            try {
                obj = Optional.ofNullable(event.getDataObjectDeserializer().deserializeUnsafe());
            } catch (Exception e) {
                return WebhookReceiver.Mapped.ignored("cannot read the event's object: " + e.getMessage());
            }
        }
        String type = event.getType() == null ? "" : event.getType();
        String source = "stripe:" + event.getId();
        StripeObject o = obj.orElse(null);
        List<RecordInput> out = new ArrayList<>();
        if (type.startsWith("invoice.") && o instanceof Invoice inv) {
            invoice(inv, source, out);
        } else if (type.startsWith("charge.dispute.") && o instanceof Dispute d) {
            out.add(dispute(d, source));
        } else if ((type.startsWith("charge.refund") || type.startsWith("refund.")) && o instanceof Refund r) {
            out.add(refund(r, source));
        } else if (type.startsWith("charge.") && o instanceof Charge c) {
            out.add(payment(c, source));
            if (c.getRefunds() != null && c.getRefunds().getData() != null) {
                for (Refund r : c.getRefunds().getData()) out.add(refund(r, source));
            }
        } else if (type.startsWith("payment_intent.") && o instanceof PaymentIntent pi) {
            out.add(payment(pi, source));
        } else if (type.startsWith("customer.subscription.") && o instanceof Subscription s) {
            subscription(s, source, out);
        } else if (type.startsWith("customer.") && o instanceof Customer c) {
            out.add(customer(c, source));
        } else {
            return WebhookReceiver.Mapped.ignored("event type " + type + " is not modelled");
        }
        return new WebhookReceiver.Mapped(out, null);
    }

    static RecordInput customer(Customer c, String source) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("customer_id", c.getId());
        f.put("name", c.getName());
        f.put("email", c.getEmail());
        f.put("country", c.getAddress() == null ? null : c.getAddress().getCountry());
        f.put("currency", upper(c.getCurrency()));
        f.put("created_at", time(c.getCreated()));
        return new RecordInput(EntityKind.CUSTOMERS, f, source);
    }

    static void invoice(Invoice inv, String source, List<RecordInput> out) {
        String cur = upper(inv.getCurrency());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("invoice_id", inv.getId());
        f.put("customer_id", inv.getCustomer());
        f.put("subscription_id", inv.getParent() == null || inv.getParent().getSubscriptionDetails() == null ? null
                : inv.getParent().getSubscriptionDetails().getSubscription());
        f.put("status", inv.getStatus());
        f.put("created_at", time(inv.getCreated()));
        f.put("period_start", time(inv.getPeriodStart()));
        f.put("period_end", time(inv.getPeriodEnd()));
        f.put("currency", cur);
        f.put("subtotal", money(inv.getSubtotal(), cur));
        long discount = 0;
        if (inv.getTotalDiscountAmounts() != null) {
            for (var d : inv.getTotalDiscountAmounts()) discount += d.getAmount() == null ? 0 : d.getAmount();
        }
        long tax = 0;
        if (inv.getTotalTaxes() != null) {
            for (var t : inv.getTotalTaxes()) tax += t.getAmount() == null ? 0 : t.getAmount();
        }
        f.put("discount", money(discount, cur));
        f.put("tax", money(tax, cur));
        f.put("total", money(inv.getTotal(), cur));
        f.put("amount_paid", money(inv.getAmountPaid(), cur));
        f.put("billing_reason", inv.getBillingReason());
        out.add(new RecordInput(EntityKind.INVOICES, f, source));
        if (inv.getLines() != null && inv.getLines().getData() != null) {
            for (InvoiceLineItem line : inv.getLines().getData()) out.add(line(inv.getId(), line, cur, source));
        }
    }

    static RecordInput line(String invoiceId, InvoiceLineItem line, String invoiceCurrency, String source) {
        String cur = line.getCurrency() == null ? invoiceCurrency : upper(line.getCurrency());
        long qty = line.getQuantity() == null ? 1 : line.getQuantity();
        long amount = line.getAmount() == null ? 0 : line.getAmount();
        String unit;
        if (line.getPricing() != null && line.getPricing().getUnitAmountDecimal() != null) {
            unit = decimalMinor(line.getPricing().getUnitAmountDecimal(), cur);
        } else {
            unit = money(qty == 0 ? amount : amount / qty, cur);
        }
        boolean fromSubscription = line.getParent() != null && line.getParent().getType() != null
                && line.getParent().getType().contains("subscription");
        Map<String, String> f = new LinkedHashMap<>();
        f.put("line_id", line.getId());
        f.put("invoice_id", invoiceId);
        f.put("kind", amount < 0 ? "credit" : fromSubscription ? "subscription" : "one_off");
        f.put("price_id", line.getPricing() == null || line.getPricing().getPriceDetails() == null ? null
                : line.getPricing().getPriceDetails().getPrice());
        f.put("description", line.getDescription());
        f.put("quantity", Long.toString(qty));
        f.put("currency", cur);
        f.put("unit_amount", unit);
        f.put("amount", money(amount, cur));
        f.put("period_start", line.getPeriod() == null ? null : time(line.getPeriod().getStart()));
        f.put("period_end", line.getPeriod() == null ? null : time(line.getPeriod().getEnd()));
        return new RecordInput(EntityKind.INVOICE_LINES, f, source);
    }

    static RecordInput payment(Charge c, String source) {
        String cur = upper(c.getCurrency());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("payment_id", c.getId());
        f.put("customer_id", c.getCustomer());
        f.put("attempted_at", time(c.getCreated()));
        f.put("currency", cur);
        f.put("amount", money(c.getAmount(), cur));
        f.put("status", c.getStatus());
        String decline = c.getOutcome() != null && c.getOutcome().getReason() != null ? c.getOutcome().getReason() : c.getFailureCode();
        f.put("decline_code", "succeeded".equals(c.getStatus()) ? null : decline);
        f.put("payment_method_id", c.getPaymentMethod());
        return new RecordInput(EntityKind.PAYMENTS, f, source);
    }

    /** A payment intent is stored under its latest charge's id when it has one, so both events land on one payment. */
    static RecordInput payment(PaymentIntent pi, String source) {
        String cur = upper(pi.getCurrency());
        String status = switch (pi.getStatus() == null ? "" : pi.getStatus()) {
            case "succeeded" -> "succeeded";
            case "canceled" -> "failed";
            case "requires_payment_method" -> pi.getLastPaymentError() != null ? "failed" : "pending";
            default -> "pending";
        };
        Map<String, String> f = new LinkedHashMap<>();
        f.put("payment_id", pi.getLatestCharge() != null ? pi.getLatestCharge() : pi.getId());
        f.put("customer_id", pi.getCustomer());
        f.put("attempted_at", time(pi.getCreated()));
        f.put("currency", cur);
        f.put("amount", money(pi.getAmount(), cur));
        f.put("status", status);
        if (pi.getLastPaymentError() != null && !"succeeded".equals(status)) {
            String code = pi.getLastPaymentError().getDeclineCode() != null ? pi.getLastPaymentError().getDeclineCode()
                    : pi.getLastPaymentError().getCode();
            f.put("decline_code", code);
        }
        f.put("payment_method_id", pi.getPaymentMethod());
        return new RecordInput(EntityKind.PAYMENTS, f, source);
    }

    static RecordInput refund(Refund r, String source) {
        String cur = upper(r.getCurrency());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("refund_id", r.getId());
        f.put("payment_id", r.getCharge());
        f.put("created_at", time(r.getCreated()));
        f.put("currency", cur);
        f.put("amount", money(r.getAmount(), cur));
        f.put("reason", r.getReason());
        f.put("status", r.getStatus());
        return new RecordInput(EntityKind.REFUNDS, f, source);
    }

    static RecordInput dispute(Dispute d, String source) {
        String cur = upper(d.getCurrency());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dispute_id", d.getId());
        f.put("payment_id", d.getCharge());
        f.put("created_at", time(d.getCreated()));
        f.put("currency", cur);
        f.put("amount", money(d.getAmount(), cur));
        f.put("reason", d.getReason());
        f.put("status", d.getStatus());
        return new RecordInput(EntityKind.DISPUTES, f, source);
    }

    static void subscription(Subscription s, String source, List<RecordInput> out) {
        SubscriptionItem item = s.getItems() == null || s.getItems().getData() == null || s.getItems().getData().isEmpty()
                ? null : s.getItems().getData().get(0);
        Price price = item == null ? null : item.getPrice();
        if (price != null) {
            RecordInput p = price(price, source);
            if (p != null) out.add(p);
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("subscription_id", s.getId());
        f.put("customer_id", s.getCustomer());
        f.put("price_id", price == null ? null : price.getId());
        f.put("quantity", item == null || item.getQuantity() == null ? null : item.getQuantity().toString());
        f.put("status", subscriptionStatus(s.getStatus()));
        f.put("started_at", time(s.getStartDate() != null ? s.getStartDate() : s.getCreated()));
        f.put("trial_end", time(s.getTrialEnd()));
        f.put("canceled_at", time(s.getEndedAt() != null ? s.getEndedAt() : s.getCanceledAt()));
        out.add(new RecordInput(EntityKind.SUBSCRIPTIONS, f, source));
    }

    /** Stripe's incomplete states have not started billing; they are past due in this model until paid or expired. */
    static String subscriptionStatus(String s) {
        if (s == null) return null;
        return switch (s) {
            case "incomplete" -> "past_due";
            case "incomplete_expired" -> "canceled";
            default -> s;
        };
    }

    static RecordInput price(Price p, String source) {
        if (p.getRecurring() == null) return null; // one-off prices are not price-book versions of a plan
        String cur = upper(p.getCurrency());
        Map<String, String> f = new LinkedHashMap<>();
        f.put("price_id", p.getId());
        f.put("plan_id", p.getLookupKey() != null ? p.getLookupKey() : p.getProduct() != null ? p.getProduct() : p.getId());
        f.put("product_id", p.getProduct() != null ? p.getProduct() : p.getId());
        f.put("product_name", p.getNickname());
        f.put("interval", p.getRecurring().getInterval());
        f.put("scheme", "metered".equals(p.getRecurring().getUsageType()) ? "usage" : "per_seat");
        f.put("currency", cur);
        f.put("unit_amount", p.getUnitAmount() != null ? money(p.getUnitAmount(), cur)
                : p.getUnitAmountDecimal() != null ? decimalMinor(p.getUnitAmountDecimal(), cur) : null);
        f.put("valid_from", time(p.getCreated()));
        return new RecordInput(EntityKind.PRICES, f, source);
    }

    private static String upper(String code) {
        return code == null ? null : code.toUpperCase(Locale.ROOT);
    }

    private static String time(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds).toString();
    }

    private static String money(Long minor, String currency) {
        if (minor == null || currency == null) return null;
        try {
            return Money.ofMinor(minor, currency).toPlainString();
        } catch (RuntimeException e) {
            return null; // an unknown currency is reported by the schema on the currency field
        }
    }

    /** Stripe's decimal amounts are in minor units with sub-minor precision; rounded half-even to whole minor units. */
    private static String decimalMinor(BigDecimal minor, String currency) {
        return money(minor.setScale(0, RoundingMode.HALF_EVEN).longValueExact(), currency);
    }
}
