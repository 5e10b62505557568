package io.leakdetector.app.realtime;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.app.api.RecordInput;
import io.leakdetector.core.ingest.EntityKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/events}: one billing event in, the decision out. The body is
 * {@code {"event_id": "...", "type": "invoice.paid", "data": {invoice fields}, "lines": [invoice line fields]}};
 * {@code lines} is only for invoice events.
 */
@RestController
@Tag(name = "real time", description = "one billing event, one decision (role analyst)")
class EventsController {
    private final RealtimeService service;

    EventsController(RealtimeService service) {
        this.service = service;
    }

    @PostMapping(path = "/api/v1/events", consumes = "application/json")
    @Operation(summary = "Take one billing event, update the customer's state, re-run detection on that customer",
            description = "type prefixes: customer, price, subscription, subscription_change, invoice, invoice_line, "
                    + "payment_method, payment, refund, credit_note, dispute, usage, app_account (or seats). "
                    + "503 with Retry-After when overloaded: the event was not accepted and may be sent again.")
    Decision event(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        Event e = Event.of(body);
        return service.handle(e.id(), e.type(), e.inputs(), start);
    }

    /** One event as the body states it: its id (generated when absent), type, and the records it carries. */
    record Event(String id, String type, List<RecordInput> inputs) {
        /** Reads the body; a 400 {@link ApiException} names the field at fault. */
        static Event of(JsonNode body) {
            if (body == null || !body.isObject()) throw ApiException.badField(null, "body must be a JSON object");
            JsonNode typeNode = body.get("type");
            String type = typeNode != null && typeNode.isString() ? typeNode.asString() : null;
            EntityKind kind = EventTypes.kindOf(type);
            JsonNode idNode = body.get("event_id");
            if (idNode != null && !idNode.isNull() && !idNode.isString()) throw ApiException.badField("event_id", "event_id must be a string");
            String eventId = idNode != null && idNode.isString() && !idNode.asString().isBlank() ? idNode.asString() : "evt_" + UUID.randomUUID();
            for (Map.Entry<String, JsonNode> e : body.properties()) {
                if (!FIELDS.contains(e.getKey())) {
                    throw ApiException.badField(e.getKey(), "unknown field " + e.getKey() + " (expected event_id, type, data, lines)");
                }
            }
            String source = "event:" + eventId;
            List<RecordInput> inputs = new ArrayList<>();
            inputs.add(new RecordInput(kind, prefixErrors(body.get("data"), "data"), source));
            JsonNode lines = body.get("lines");
            if (lines != null && !lines.isNull()) {
                if (kind != EntityKind.INVOICES) throw ApiException.badField("lines", "lines belong to invoice events only");
                if (!lines.isArray()) throw ApiException.badField("lines", "lines must be an array");
                if (lines.size() > 1000) throw ApiException.badField("lines", "at most 1000 lines per event");
                for (int i = 0; i < lines.size(); i++) {
                    Map<String, String> f = prefixErrors(lines.get(i), "lines[" + i + "]");
                    inputs.add(new RecordInput(EntityKind.INVOICE_LINES, f, source + "#line" + i));
                }
            }
            return new Event(eventId, type, inputs);
        }
    }

    private static final List<String> FIELDS = List.of("event_id", "type", "data", "lines");

    private static Map<String, String> prefixErrors(JsonNode node, String path) {
        if (node == null || node.isNull()) throw ApiException.badField(path, path + " is required");
        if (!node.isObject()) throw ApiException.badField(path, path + " must be a JSON object");
        Map<String, String> f = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            String name = path + "." + e.getKey();
            if (v.isNull()) f.put(e.getKey(), null);
            else if (v.isString()) f.put(e.getKey(), v.asString());
            else if (v.isNumber()) f.put(e.getKey(), v.decimalValue().toPlainString());
            else if (v.isBoolean()) f.put(e.getKey(), Boolean.toString(v.booleanValue()));
            else throw ApiException.badField(name, name + " must be a string, number, boolean or null");
        }
        return f;
    }
}
