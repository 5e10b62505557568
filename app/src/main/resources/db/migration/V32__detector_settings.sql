-- Detector thresholds and risk-score weights an admin changed from their documented defaults (DetectorsConfig.DEFAULTS):
-- one row per changed setting, named "<detector>.<setting>" (e.g. failedPayment.graceDays, risk.margin). A setting
-- without a row has its default. Every detection run (store detection, real time) reads the current values.
CREATE TABLE detector_settings (
    setting_key VARCHAR(200)             NOT NULL PRIMARY KEY,
    setting_value VARCHAR(100)           NOT NULL,
    updated_by  VARCHAR(200)             NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
