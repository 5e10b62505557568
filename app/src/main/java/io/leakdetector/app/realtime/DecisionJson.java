package io.leakdetector.app.realtime;

import io.leakdetector.app.api.IngestResult;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.function.BiConsumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link Decision} as the mapper's bean serialisation of the record writes it — the same bytes, field for
 * field (a test compares them) — straight to the mapper's generator: on the real-time path, looking up and running
 * the record serialisers were 10 % of the HTTP threads' profile samples.
 */
final class DecisionJson {
    private static final SerializableString EVENT_ID = new SerializedString("event_id"), TYPE = new SerializedString("type"),
            CUSTOMER_ID = new SerializedString("customer_id"), STORED = new SerializedString("stored"),
            FINDINGS = new SerializedString("findings"), PROCESSED = new SerializedString("processed_in_ms"),
            ENTITY = new SerializedString("entity"), KEY = new SerializedString("key"), OUTCOME = new SerializedString("outcome"),
            ID = new SerializedString("id"), CHANGE = new SerializedString("change"), CATEGORY = new SerializedString("category"),
            KIND = new SerializedString("kind"), SUBJECT = new SerializedString("subject"), CURRENCY = new SerializedString("currency"),
            ONE_TIME = new SerializedString("amount_one_time"), MONTHLY = new SerializedString("amount_monthly_recurring"),
            SCORE = new SerializedString("score"), CONFIDENCE = new SerializedString("confidence"),
            RISK_SCORE = new SerializedString("risk_score"), FACTORS = new SerializedString("factors"),
            EXPLANATION = new SerializedString("explanation"), ACTION = new SerializedString("recommended_action"),
            MATCHED = new SerializedString("matched_rules"), SIGNAL = new SerializedString("signal"),
            WEIGHT = new SerializedString("weight"), REASON = new SerializedString("reason");

    private DecisionJson() {}

    static byte[] write(JsonMapper json, Decision d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(d.findings() == null ? 256 : 256 + 1024 * d.findings().size());
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            string(g, EVENT_ID, d.event_id());
            string(g, TYPE, d.type());
            string(g, CUSTOMER_ID, d.customer_id());
            array(g, STORED, d.stored(), DecisionJson::stored);
            array(g, FINDINGS, d.findings(), DecisionJson::finding);
            g.writeName(PROCESSED);
            g.writeNumber(d.processed_in_ms());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void stored(JsonGenerator g, IngestResult.Item it) {
        g.writeStartObject();
        string(g, ENTITY, it.entity());
        string(g, KEY, it.key());
        string(g, OUTCOME, it.outcome());
        g.writeEndObject();
    }

    private static void finding(JsonGenerator g, Decision.FindingDecision f) {
        g.writeStartObject();
        string(g, ID, f.id());
        string(g, CHANGE, f.change());
        string(g, CATEGORY, f.category());
        string(g, KIND, f.kind());
        string(g, SUBJECT, f.subject());
        string(g, CURRENCY, f.currency());
        string(g, ONE_TIME, f.amount_one_time());
        string(g, MONTHLY, f.amount_monthly_recurring());
        g.writeName(SCORE);
        g.writeNumber(f.score());
        string(g, CONFIDENCE, f.confidence());
        g.writeName(RISK_SCORE);
        g.writeNumber(f.risk_score());
        array(g, FACTORS, f.factors(), DecisionJson::factor);
        string(g, EXPLANATION, f.explanation());
        string(g, ACTION, f.recommended_action());
        array(g, MATCHED, f.matched_rules(), (gen, v) -> {
            if (v == null) gen.writeNull();
            else gen.writeString(v);
        });
        g.writeEndObject();
    }

    private static void factor(JsonGenerator g, Decision.Factor x) {
        g.writeStartObject();
        string(g, SIGNAL, x.signal());
        g.writeName(SCORE);
        g.writeNumber(x.score());
        g.writeName(WEIGHT);
        g.writeNumber(x.weight());
        string(g, REASON, x.reason());
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializableString name, String value) {
        g.writeName(name);
        if (value == null) g.writeNull();
        else g.writeString(value);
    }

    /** {@code name}: null, or an array of {@code values} each written by {@code each}. */
    private static <T> void array(JsonGenerator g, SerializableString name, List<T> values, BiConsumer<JsonGenerator, T> each) {
        g.writeName(name);
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (T v : values) each.accept(g, v);
        g.writeEndArray();
    }
}
