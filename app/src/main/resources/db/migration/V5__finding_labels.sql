-- Analyst feedback on findings for the ML loop: one label per finding (the latest wins), with who and when.
CREATE TABLE finding_labels (
    finding_id VARCHAR(255)             NOT NULL PRIMARY KEY REFERENCES findings (id),
    label      VARCHAR(16)              NOT NULL,   -- confirmed, dismissed
    labeled_by VARCHAR(255)             NOT NULL,
    labeled_at TIMESTAMP WITH TIME ZONE NOT NULL,
    comment    VARCHAR(4096)
);
