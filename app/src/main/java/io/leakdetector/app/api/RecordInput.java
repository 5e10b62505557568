package io.leakdetector.app.api;

import io.leakdetector.core.ingest.EntityKind;
import java.util.Map;

/**
 * One record as it arrives over HTTP, before validation: its entity kind, its fields by column name (the names of
 * docs/data-format.md or their Stripe aliases) and a source label ({@code api:<request>}, {@code stripe:<event>}).
 */
public record RecordInput(EntityKind kind, Map<String, String> fields, String source) {}
