-- The summary's and the overview's aggregates (per status, currency, kind, category, week, customer) read only these
-- columns of the findings: with all of them in one index, both databases answer from the index alone instead of
-- reading every finding's evidence and explanation from the table. Status first: every aggregate but one filters on it.
CREATE INDEX ix_findings_overview_cover ON findings (status, currency, kind, category, detected_at, customer_id,
    amount_one_time_minor, amount_recurring_minor);
-- Revenue per customer in a currency and a date range (the overview's revenue against leakage).
CREATE INDEX ix_invoices_revenue_cover ON invoices (currency, customer_id, created_at, amount_paid_minor);
