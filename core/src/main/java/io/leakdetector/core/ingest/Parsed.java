package io.leakdetector.core.ingest;

/**
 * A row that passed validation: the domain record, its identity key within its file kind, a hash of its
 * canonical content (to tell a true duplicate from a conflicting one) and its line.
 */
public record Parsed<T>(T record, String key, long contentHash, long line) {}
