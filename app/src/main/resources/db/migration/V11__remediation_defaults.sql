-- Default playbooks per category and the default customer e-mail templates (documented in docs/remediation.md);
-- admins change them through /api/v1/admin/playbooks and /api/v1/admin/templates.
INSERT INTO playbooks (category, auto_start, escalate_after_days, updated_by, updated_at) VALUES
    ('FAILED_PAYMENT', FALSE, 14, 'system', CURRENT_TIMESTAMP),
    ('DUPLICATE_BILLING', FALSE, 10, 'system', CURRENT_TIMESTAMP),
    ('PRICE_MISMATCH', FALSE, 14, 'system', CURRENT_TIMESTAMP),
    ('EXPIRED_DISCOUNT', FALSE, 14, 'system', CURRENT_TIMESTAMP),
    ('UNBILLED_USAGE', FALSE, 14, 'system', CURRENT_TIMESTAMP),
    ('MISSED_INVOICE', FALSE, 14, 'system', CURRENT_TIMESTAMP),
    ('UNBILLED_SERVICE', FALSE, 14, 'system', CURRENT_TIMESTAMP),
    ('SILENT_CHURN', FALSE, 7, 'system', CURRENT_TIMESTAMP),
    ('REFUND_ANOMALY', FALSE, 7, 'system', CURRENT_TIMESTAMP),
    ('EXPIRING_PAYMENT_METHOD', FALSE, NULL, 'system', CURRENT_TIMESTAMP),
    ('LEGACY_PRICE', FALSE, NULL, 'system', CURRENT_TIMESTAMP),
    ('USAGE_REVENUE_GAP', FALSE, 21, 'system', CURRENT_TIMESTAMP),
    ('ANOMALY', FALSE, 21, 'system', CURRENT_TIMESTAMP);

INSERT INTO playbook_steps (category, position, action, target, wait_days, needs_approval, decline_class) VALUES
    -- soft decline: retry in 3 days, then e-mail the customer, then a ticket after 10 more days
    ('FAILED_PAYMENT', 1, 'retry_payment', NULL, 3, FALSE, 'soft'),
    ('FAILED_PAYMENT', 2, 'notify_customer', 'payment_failed', 0, FALSE, 'soft'),
    ('FAILED_PAYMENT', 3, 'create_ticket', NULL, 10, TRUE, 'soft'),
    -- hard decline: never retried, ask for a new card
    ('FAILED_PAYMENT', 4, 'request_card_update', 'card_update', 0, FALSE, 'hard'),
    -- authentication: the cardholder must confirm
    ('FAILED_PAYMENT', 5, 'send_auth_link', 'authentication_link', 0, FALSE, 'authentication'),
    -- fraud: alert the team, no customer contact
    ('FAILED_PAYMENT', 6, 'alert_team', NULL, 0, FALSE, 'fraud'),
    ('FAILED_PAYMENT', 7, 'create_ticket', NULL, 0, TRUE, 'unknown'),
    ('DUPLICATE_BILLING', 1, 'alert_team', NULL, 0, FALSE, NULL),
    ('DUPLICATE_BILLING', 2, 'create_ticket', NULL, 0, TRUE, NULL),
    ('PRICE_MISMATCH', 1, 'create_ticket', NULL, 0, TRUE, NULL),
    ('EXPIRED_DISCOUNT', 1, 'create_ticket', NULL, 0, TRUE, NULL),
    ('UNBILLED_USAGE', 1, 'create_ticket', NULL, 0, TRUE, NULL),
    ('MISSED_INVOICE', 1, 'create_ticket', NULL, 0, TRUE, NULL),
    ('UNBILLED_SERVICE', 1, 'alert_team', NULL, 0, FALSE, NULL),
    ('UNBILLED_SERVICE', 2, 'create_ticket', NULL, 0, TRUE, NULL),
    ('SILENT_CHURN', 1, 'alert_team', NULL, 0, FALSE, NULL),
    ('SILENT_CHURN', 2, 'create_ticket', NULL, 3, TRUE, NULL),
    ('REFUND_ANOMALY', 1, 'alert_team', NULL, 0, FALSE, NULL),
    ('REFUND_ANOMALY', 2, 'create_ticket', NULL, 0, TRUE, NULL),
    ('EXPIRING_PAYMENT_METHOD', 1, 'request_card_update', 'card_update', 0, FALSE, NULL),
    ('LEGACY_PRICE', 1, 'create_ticket', NULL, 0, TRUE, NULL),
    ('USAGE_REVENUE_GAP', 1, 'create_ticket', NULL, 0, TRUE, NULL),
    ('ANOMALY', 1, 'alert_team', NULL, 0, TRUE, NULL);

INSERT INTO email_templates (name, subject, body, updated_by, updated_at) VALUES
    ('payment_failed', 'Your payment for invoice {{invoice_id}} did not go through',
     'Hello {{customer_name}},' || CHR(10) || CHR(10) || 'we could not collect {{amount}} for invoice {{invoice_id}}. We will try again; if your card details have changed, please update them.' || CHR(10) || CHR(10) || 'Thank you.', 'system', CURRENT_TIMESTAMP),
    ('card_update', 'Please update your payment method',
     'Hello {{customer_name}},' || CHR(10) || CHR(10) || 'the card on file could not be charged ({{amount}} open on invoice {{invoice_id}}) or expires soon. Please add a new payment method.' || CHR(10) || CHR(10) || 'Thank you.', 'system', CURRENT_TIMESTAMP),
    ('authentication_link', 'Please confirm your payment of {{amount}}',
     'Hello {{customer_name}},' || CHR(10) || CHR(10) || 'your bank asks you to confirm the payment of {{amount}} for invoice {{invoice_id}}. Please authenticate it here: {{payment_link}}' || CHR(10) || CHR(10) || 'Thank you.', 'system', CURRENT_TIMESTAMP);
