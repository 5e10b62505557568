package io.leakdetector.core.detect;

import java.util.Locale;
import java.util.Map;

/**
 * What a card decline means for recovery (Stripe's decline codes): a SOFT decline may pass on a retry, a HARD
 * one never will (ask for a new card), AUTHENTICATION needs the cardholder (send a 3-D Secure link), FRAUD must
 * not be retried at all (block and review). Unknown codes are UNKNOWN and treated like soft ones, with a review.
 */
public enum DeclineClass {
    SOFT("Retry the payment on the dunning schedule (soft decline: it may pass later); email the customer if the retries fail."),
    HARD("Do not retry: ask the customer for a new card or another payment method (hard decline)."),
    AUTHENTICATION("Send the customer a payment link to authenticate the charge (3-D Secure / SCA); do not blind-retry."),
    FRAUD("Do not retry: block the payment method and review the account for fraud before any further charge."),
    UNKNOWN("Review the decline reason with the payment provider; retry once if it is temporary, otherwise ask for a new card.");

    private final String action;

    DeclineClass(String action) {
        this.action = action;
    }

    /** The recommended action for an unpaid invoice whose last decline has this class. */
    public String action() {
        return action;
    }

    // card_velocity_exceeded is SOFT: the card's limit or count window resets, so a later retry can pass
    // (Stripe lists it among the declines to retry later). withdrawal_count_limit_exceeded likewise.
    // PIN declines need the cardholder present, like 3-D Secure, so they are AUTHENTICATION.
    private static final Map<String, DeclineClass> CODES = Map.ofEntries(
            Map.entry("insufficient_funds", SOFT), Map.entry("do_not_honor", SOFT),
            Map.entry("processing_error", SOFT), Map.entry("try_again_later", SOFT),
            Map.entry("generic_decline", SOFT), Map.entry("issuer_not_available", SOFT),
            Map.entry("reenter_transaction", SOFT), Map.entry("call_issuer", SOFT),
            Map.entry("approve_with_id", SOFT), Map.entry("card_velocity_exceeded", SOFT),
            Map.entry("withdrawal_count_limit_exceeded", SOFT), Map.entry("duplicate_transaction", SOFT),
            Map.entry("no_action_taken", SOFT), Map.entry("card_declined", SOFT),
            Map.entry("expired_card", HARD), Map.entry("lost_card", HARD), Map.entry("stolen_card", HARD),
            Map.entry("incorrect_number", HARD), Map.entry("invalid_number", HARD),
            Map.entry("card_not_supported", HARD), Map.entry("invalid_account", HARD),
            Map.entry("account_closed", HARD), Map.entry("incorrect_cvc", HARD), Map.entry("invalid_cvc", HARD),
            Map.entry("invalid_expiry_month", HARD), Map.entry("invalid_expiry_year", HARD),
            Map.entry("incorrect_zip", HARD), Map.entry("currency_not_supported", HARD),
            Map.entry("new_account_information_available", HARD), Map.entry("not_permitted", HARD),
            Map.entry("pickup_card", HARD), Map.entry("restricted_card", HARD),
            Map.entry("revocation_of_authorization", HARD), Map.entry("revocation_of_all_authorizations", HARD),
            Map.entry("stop_payment_order", HARD), Map.entry("transaction_not_allowed", HARD),
            Map.entry("service_not_allowed", HARD), Map.entry("testmode_decline", HARD),
            Map.entry("authentication_required", AUTHENTICATION), Map.entry("offline_pin_required", AUTHENTICATION),
            Map.entry("online_or_offline_pin_required", AUTHENTICATION), Map.entry("pin_try_exceeded", AUTHENTICATION),
            Map.entry("incorrect_pin", AUTHENTICATION), Map.entry("invalid_pin", AUTHENTICATION),
            Map.entry("fraudulent", FRAUD), Map.entry("merchant_blacklist", FRAUD),
            Map.entry("security_violation", FRAUD), Map.entry("highest_risk_level", FRAUD));

    /** The class of a provider decline code (any case, blank → UNKNOWN). */
    public static DeclineClass of(String declineCode) {
        if (declineCode == null || declineCode.isBlank()) return UNKNOWN;
        DeclineClass c = CODES.get(declineCode.trim().toLowerCase(Locale.ROOT));
        return c == null ? UNKNOWN : c;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
