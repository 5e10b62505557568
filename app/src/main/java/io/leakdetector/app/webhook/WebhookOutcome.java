package io.leakdetector.app.webhook;

import io.leakdetector.app.api.IngestResult;
import java.util.List;

/**
 * The answer to a verified webhook: {@code stored}, {@code duplicate} (already processed, nothing changed) or
 * {@code ignored} (an event type or object this service does not model), with the records written.
 */
record WebhookOutcome(String eventId, String type, String status, String reason, List<IngestResult.Item> records) {}
