-- Every new or changed finding writes one entry in each of the findings table's indexes (on H2 each is a B-tree page
-- rewritten at the commit), and the real-time path writes findings with every event. These four are each the first
-- column of a wider index that serves the same look-ups and range scans on both databases, so they only cost writes:
-- status -> ix_findings_status_score_id, category -> ix_findings_category_score_id,
-- detected_at -> ix_findings_detected_id, score -> ix_findings_score_id (read backwards for an ascending scan).
DROP INDEX ix_findings_status;
DROP INDEX ix_findings_category;
DROP INDEX ix_findings_detected;
DROP INDEX ix_findings_score;
