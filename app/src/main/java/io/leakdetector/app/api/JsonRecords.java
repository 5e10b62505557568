package io.leakdetector.app.api;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ingest.EntityKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Reads JSON bodies as flat records: one object, or an array of objects, whose values are scalars (strings,
 * numbers, booleans, null). Anything else is a 400 naming the field.
 */
final class JsonRecords {
    private JsonRecords() {}

    static List<RecordInput> read(EntityKind kind, JsonNode body, String source, int max) {
        if (body == null || body.isNull() || body.isMissingNode()) throw ApiException.badField(null, "request body is empty");
        List<RecordInput> out = new ArrayList<>();
        if (body.isArray()) {
            if (body.size() == 0) throw ApiException.badField(null, "the array holds no records");
            if (body.size() > max) {
                throw ApiException.badField(null, "at most " + max + " records per request (got " + body.size() + ")");
            }
            for (int i = 0; i < body.size(); i++) {
                out.add(new RecordInput(kind, fields(body.get(i), "[" + i + "]"), source + "#" + i));
            }
        } else {
            out.add(new RecordInput(kind, fields(body, ""), source));
        }
        return out;
    }

    static Map<String, String> fields(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw ApiException.badField(path.isEmpty() ? null : path, (path.isEmpty() ? "body" : path) + " must be a JSON object");
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            String name = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (v.isNull()) {
                f.put(e.getKey(), null);
            } else if (v.isString()) {
                f.put(e.getKey(), v.asString());
            } else if (v.isNumber()) {
                f.put(e.getKey(), v.decimalValue().toPlainString());
            } else if (v.isBoolean()) {
                f.put(e.getKey(), Boolean.toString(v.booleanValue()));
            } else {
                throw ApiException.badField(name, name + " must be a string, number, boolean or null");
            }
        }
        return f;
    }

    /** {@code invoices} or {@code invoice_lines} (the data file names without .csv) to its kind. */
    static EntityKind kind(String name) {
        for (EntityKind k : EntityKind.values()) {
            if (k.fileName().equals(name + ".csv") || k.fileName().equals(name)) return k;
        }
        List<String> names = new ArrayList<>();
        for (EntityKind k : EntityKind.values()) names.add(k.fileName().replace(".csv", ""));
        throw ApiException.notFoundWith("entity", name, "known entities: " + String.join(", ", names));
    }
}
