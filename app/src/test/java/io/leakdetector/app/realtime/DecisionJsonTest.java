package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.api.IngestResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The hand-written answer is byte for byte what the mapper's record serialisation writes. */
class DecisionJsonTest {
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void writesTheSameBytesAsTheMapperForVariedDecisions() {
        Random r = new Random(7);
        double[] doubles = {0, -0.0, 0.1, 1.0 / 3, 12.345, 1e-7, 1e21, 0.55, 100, 67.8, Double.MIN_VALUE, 123456789.125};
        String[] texts = {"", "plain", "quote \" and backslash \\", "tab\tnew\nline", "ünïcødé €", "\u0001ctl", "emoji \uD83D\uDE00", "</script>"};
        int checked = 0;
        for (int n = 0; n < 300; n++) {
            List<IngestResult.Item> stored = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) stored.add(new IngestResult.Item(pick(r, texts), pick(r, texts), "created"));
            List<Decision.FindingDecision> findings = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) {
                List<Decision.Factor> factors = new ArrayList<>();
                for (int k = r.nextInt(6); k > 0; k--) {
                    factors.add(new Decision.Factor(pick(r, texts), pick(r, doubles), pick(r, doubles), r.nextInt(5) == 0 ? null : pick(r, texts)));
                }
                findings.add(new Decision.FindingDecision("f_" + n, r.nextBoolean() ? "new" : "updated", "FAILED_PAYMENT", "leak",
                        pick(r, texts), "USD", "49.00", r.nextInt(5) == 0 ? null : "0.00", pick(r, doubles), "high", pick(r, doubles),
                        r.nextInt(9) == 0 ? null : factors, pick(r, texts), r.nextInt(5) == 0 ? null : pick(r, texts),
                        r.nextInt(7) == 0 ? null : Arrays.asList("FAILED_PAYMENT", r.nextInt(3) == 0 ? null : "UNBILLED_SERVICE")));
            }
            Decision d = new Decision(pick(r, texts), r.nextBoolean() ? "invoice.created" : null, r.nextInt(4) == 0 ? null : pick(r, texts),
                    r.nextInt(10) == 0 ? null : stored, r.nextInt(10) == 0 ? null : findings, pick(r, doubles) + r.nextInt(1000) / 1000.0);
            String expected = new String(json.writeValueAsBytes(d), StandardCharsets.UTF_8);
            assertThat(new String(DecisionJson.write(json, d), StandardCharsets.UTF_8)).isEqualTo(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(300);
    }

    @Test
    void anEmptyAnswerToo() {
        Decision d = new Decision("evt_1", "price.created", null, List.of(), List.of(), 0.25);
        assertThat(new String(DecisionJson.write(json, d), StandardCharsets.UTF_8))
                .isEqualTo("{\"event_id\":\"evt_1\",\"type\":\"price.created\",\"customer_id\":null,\"stored\":[],\"findings\":[],\"processed_in_ms\":0.25}")
                .isEqualTo(new String(json.writeValueAsBytes(d), StandardCharsets.UTF_8));
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static double pick(Random r, double[] values) {
        return values[r.nextInt(values.length)];
    }
}
