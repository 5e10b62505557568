package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** docs/data-format.md stays true to {@link Schemas}: same columns, same required flags, every alias, valid examples. */
class DataFormatDocTest {
    private static final Pattern SECTION = Pattern.compile("^### `([a-z_]+\\.csv)`$", Pattern.MULTILINE);
    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z_]+)` \\|(.*)\\|$", Pattern.MULTILINE);
    private static final Pattern EXAMPLE = Pattern.compile("```csv\\n(.*?)```", Pattern.DOTALL);
    private static final Map<String, String> SECTIONS = new LinkedHashMap<>();
    private static String doc;

    @BeforeAll
    static void readDoc() throws IOException {
        doc = Files.readString(RepoFiles.path("docs/data-format.md"));
        Matcher m = SECTION.matcher(doc);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            names.add(m.group(1));
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : doc.indexOf("\n## ", starts.get(i)[1]);
            SECTIONS.put(names.get(i), doc.substring(starts.get(i)[1], end < 0 ? doc.length() : end));
        }
    }

    @ParameterizedTest
    @EnumSource(EntityKind.class)
    void everyColumnOfTheSchemaIsDocumentedWithItsRequirednessAndAliases(EntityKind kind) {
        String section = SECTIONS.get(kind.fileName());
        assertThat(section).as("section ### `" + kind.fileName() + "`").isNotNull();
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = TABLE_ROW.matcher(section);
        while (m.find()) rows.put(m.group(1), m.group(2));
        List<String> columns = kind.schema().columns().stream().map(Column::name).toList();
        assertThat(rows.keySet()).as(kind.fileName() + " columns in the doc").containsExactlyElementsOf(columns);
        for (Column c : kind.schema().columns()) {
            String[] cells = rows.get(c.name()).split(" \\| ", -1);
            assertThat(cells[1].strip()).as(kind.fileName() + " " + c.name() + " required/optional")
                    .isEqualTo(c.required() ? "required" : "optional");
            for (String alias : c.aliases()) {
                assertThat(cells[cells.length - 1]).as(kind.fileName() + " " + c.name() + " alias").contains("`" + alias + "`");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EntityKind.class)
    void theExampleOfEachFileReadsWithoutRejection(EntityKind kind) {
        Matcher m = EXAMPLE.matcher(SECTIONS.get(kind.fileName()));
        assertThat(m.find()).as(kind.fileName() + " example").isTrue();
        Collect<?> c = Collect.read(kind.fileName(), m.group(1), kind.schema());
        assertThat(c.rejected).isEmpty();
        assertThat(c.accepted).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(EntityKind.class)
    void theLoadOrderTableListsEveryFileInOrder(EntityKind kind) {
        assertThat(doc).contains("| " + (kind.ordinal() + 1) + " | `" + kind.fileName() + "` |");
    }
}
