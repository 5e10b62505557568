package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2026-03-01                      | 2026-03-01T00:00:00Z",
            "2026-03-01T10:15:30Z            | 2026-03-01T10:15:30Z",
            "2026-03-01T10:15:30.250Z        | 2026-03-01T10:15:30.250Z",
            "2026-03-01T10:15Z               | 2026-03-01T10:15:00Z",
            "2026-03-01T10:15:30+01:00       | 2026-03-01T09:15:30Z",
            "2026-03-01T01:15:30-05:00       | 2026-03-01T06:15:30Z",
            "2026-03-01T10:15:30             | 2026-03-01T10:15:30Z",
            "2026-03-01T10:15                | 2026-03-01T10:15:00Z",
            "2026-03-01 10:15                | 2026-03-01T10:15:00Z",
            "2026-03-01 10:15:30             | 2026-03-01T10:15:30Z",
            "2026-03-01 10:15:30+02:00       | 2026-03-01T08:15:30Z",
            "1772359200                      | 2026-03-01T10:00:00Z",
            "999999999                       | 2001-09-09T01:46:39Z",
            "'  2026-03-01T10:15:30Z  '      | 2026-03-01T10:15:30Z",
            "2024-02-29T23:59:59Z            | 2024-02-29T23:59:59Z"})
    void acceptsEveryDocumentedTimestampForm(String text, String expected) {
        assertThat(Values.instant(text)).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
            "2026-02-30T10:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:60:00Z", "2026-02-30T10:00:00+01:00",
            "2026-02-30 10:00", "2026-02-30T10:00", "01/03/2026", "2026/03/01", "March 1, 2026", "20260301",
            "2026-3-1", "yesterday", "12345678901", "2026-03-01T10:15:30 UTC", "-1772359200"})
    void rejectsWhatIsNotAValidTimestamp(String text) {
        assertThatThrownBy(() -> Values.instant(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid date").hasMessageContaining(text);
    }

    @Test
    void datesAreCalendarDatesAndTimestampsBecomeTheirUtcDay() {
        assertThat(Values.date("2026-03-01")).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(Values.date("2026-03-01T23:30:00Z")).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(Values.date("2026-03-01T02:00:00+05:00")).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThatThrownBy(() -> Values.date("2026-02-30")).hasMessage("not a valid date: '2026-02-30'");
        assertThatThrownBy(() -> Values.date("1/3/2026")).hasMessageContaining("expected 2026-03-01");
        assertThatThrownBy(() -> Values.date("2026-02-30T10:00:00Z")).hasMessageContaining("2026-02-30");
    }

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "t, true", "yes, true", "Y, true", "1, true",
            "false, false", "False, false", "f, false", "no, false", "N, false", "0, false"})
    void booleans(String text, boolean expected) {
        assertThat(Values.bool(text)).isEqualTo(expected);
    }

    @Test
    void rejectsOtherBooleans() {
        assertThatThrownBy(() -> Values.bool("maybe")).hasMessage("not a boolean: 'maybe' (true or false)");
    }

    @Test
    void integersAcceptAWholeSpreadsheetDecimal() {
        assertThat(Values.integer("12")).isEqualTo(12);
        assertThat(Values.integer(" -3 ")).isEqualTo(-3);
        assertThat(Values.integer("3.0")).isEqualTo(3);
        assertThatThrownBy(() -> Values.integer("3.5")).hasMessage("not a whole number: '3.5'");
        assertThatThrownBy(() -> Values.integer("1,000")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> Values.integer("")).hasMessageContaining("not a whole number");
    }
}
