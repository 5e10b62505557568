-- The overview's aggregates (per currency, status, kind, category, week, customer) read only these columns of the
-- findings: with all of them in one index, both databases answer from the index alone instead of reading every
-- finding's evidence and explanation from the table.
CREATE INDEX ix_findings_overview_cover ON findings (currency, status, kind, category, detected_at, customer_id,
    amount_one_time_minor, amount_recurring_minor);
