package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

class NumericCsvTest {
    @Test
    void readsFeaturesLabelsAndLineNumbers() {
        NumericCsv.Table t = NumericCsv.read(new StringReader("a,label,b\n1,0,2.5\n\n-3e2,1,4\n"), "x.csv", "label");
        assertThat(t.features().featureNames()).containsExactly("a", "b");
        assertThat(t.features().row(1)).containsExactly(-300, 4);
        assertThat(t.labels()).containsExactly(false, true);
        assertThat(t.lines()).containsExactly(2, 4);
    }

    @Test
    void withoutLabelEveryColumnIsAFeature() {
        NumericCsv.Table t = NumericCsv.read(new StringReader("a,b\n1,2\n"), "x.csv", null);
        assertThat(t.features().cols()).isEqualTo(2);
        assertThat(t.labels()).isNull();
    }

    @Test
    void badCellsNameFileLineAndColumn() {
        assertThatThrownBy(() -> NumericCsv.read(new StringReader("a,b\n1,2\n3,abc\n"), "x.csv", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x.csv line 3, column b: not a number: 'abc'");
        assertThatThrownBy(() -> NumericCsv.read(new StringReader("a,b\n1,NaN\n"), "x.csv", null))
                .hasMessageContaining("line 2, column b");
        assertThatThrownBy(() -> NumericCsv.read(new StringReader("a,b\n1,\n"), "x.csv", null))
                .hasMessageContaining("line 2, column b");
        assertThatThrownBy(() -> NumericCsv.read(new StringReader("a,label\n1,2\n"), "x.csv", "label"))
                .hasMessageContaining("label must be 0 or 1");
        assertThatThrownBy(() -> NumericCsv.read(new StringReader("a,b\n1\n"), "x.csv", null))
                .hasMessageContaining("line 2: expected 2 fields, found 1");
        assertThatThrownBy(() -> NumericCsv.read(new StringReader("a,b\n1,2\n"), "x.csv", "y"))
                .hasMessageContaining("no column named 'y'");
    }
}
