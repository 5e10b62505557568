package io.leakdetector.app.ingest;

import java.util.Collections;
import java.util.Map;

/** The outcome of one import: its id and the counts per file (in load order) and in total. */
public record ImportResult(long importId, Map<String, ImportCounts> files) {
    public ImportResult {
        files = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
    }

    public ImportCounts total() {
        return files.values().stream().reduce(ImportCounts.ZERO, ImportCounts::plus);
    }

    /** {"import_id":…,"files":{"customers.csv":{"read":…,…}},"total":{…}}. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"import_id\":").append(importId).append(",\"files\":{");
        boolean first = true;
        for (Map.Entry<String, ImportCounts> e : files.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append('"').append(jsonEscape(e.getKey())).append("\":");
            counts(sb, e.getValue());
        }
        sb.append("},\"total\":");
        counts(sb, total());
        return sb.append('}').toString();
    }

    private static void counts(StringBuilder sb, ImportCounts c) {
        sb.append("{\"read\":").append(c.read()).append(",\"imported\":").append(c.imported())
                .append(",\"rejected\":").append(c.rejected()).append(",\"duplicates\":").append(c.duplicates()).append('}');
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
