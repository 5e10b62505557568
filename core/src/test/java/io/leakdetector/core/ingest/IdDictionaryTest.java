package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A look-up that names where the previous one was found must answer exactly what a look-up without it answers: the
 * first of equal ids, the same String, and nothing for an id the file does not hold or left out.
 */
class IdDictionaryTest {
    private static AsciiSlice slice(String text) {
        byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.ISO_8859_1);
        AsciiSlice s = new AsciiSlice();
        s.set(b, 2, b.length - 2);
        return s;
    }

    @Test
    void theIdAfterThePreviousIsFoundAsWithoutAHint() {
        List<String> ids = new ArrayList<>(Arrays.asList("in_1", "in_2", "in_3", null, "in_2", "caf\u00e9", "in_5"));
        IdDictionary d = IdDictionary.of(ids);
        assertThat(d.position(slice("in_2"), 0)).isEqualTo(1); // the one after
        assertThat(d.position(slice("in_2"), -1)).isEqualTo(1); // no hint
        assertThat(d.position(slice("in_2"), 3)).isEqualTo(1); // the one after is the later copy: the first is answered
        assertThat(d.at(d.position(slice("in_2"), 3))).isSameAs(ids.get(1));
        assertThat(d.position(slice("in_5"), 5)).isEqualTo(6);
        assertThat(d.position(slice("in_5"), 6)).isEqualTo(6); // the last: no position after it
        assertThat(d.position(slice("in_3"), 6)).isEqualTo(2);
        assertThat(d.position(slice("in_4"), 2)).isEqualTo(-1);
        assertThat(d.position(slice("in_"), 0)).isEqualTo(-1);
    }

    @Test
    void randomLookUpsWithAnyHintAgreeWithNoHint() {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5000; i++) ids.add("id_" + random.nextInt(3000));
        IdDictionary d = IdDictionary.of(ids);
        for (int i = 0; i < 20_000; i++) {
            String wanted = "id_" + random.nextInt(3300);
            int expected = d.position(slice(wanted), -1);
            if (expected >= 0) {
                assertThat(d.at(expected)).isEqualTo(wanted).isSameAs(ids.get(ids.indexOf(wanted)));
            } else {
                assertThat(ids).doesNotContain(wanted);
            }
            int hint = random.nextInt(ids.size() + 1) - 1;
            assertThat(d.position(slice(wanted), hint)).as(wanted + " after " + hint).isEqualTo(expected);
        }
    }
}
