-- Keyset paging of the findings table (dashboard and GET /api/v1/findings): every sort is "<column> <dir>, id ASC"
-- and a page continues with "(column < ? OR (column = ? AND id > ?))". An index in exactly that order lets both
-- databases read one page straight off the index, however many findings match, instead of sorting them all.
CREATE INDEX ix_findings_score_id ON findings (score DESC, id);
CREATE INDEX ix_findings_detected_id ON findings (detected_at DESC, id);
CREATE INDEX ix_findings_one_time_id ON findings (amount_one_time_minor DESC, id);
CREATE INDEX ix_findings_recurring_id ON findings (amount_recurring_minor DESC, id);
-- The usual filters with the default sort: an analyst's queue (status) and a category.
CREATE INDEX ix_findings_status_score_id ON findings (status, score DESC, id);
CREATE INDEX ix_findings_category_score_id ON findings (category, score DESC, id);
