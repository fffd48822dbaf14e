package io.tributary.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

    @Test
    void rendersHeaderAlignmentRowAndFormattedCells() {
        String table = new MarkdownTable("run", "mean return", "steps")
                .decimals(1)
                .addRow("ppo", 475.04, 200_000L)
                .addRow("a2c", 312.96, 5)
                .render();
        assertEquals("""
                | run | mean return |  steps |
                | --- | ----------: | -----: |
                | ppo |       475.0 | 200000 |
                | a2c |       313.0 |      5 |
                """, table);
    }

    @Test
    void everyLineHasOneCellPerColumn() {
        MarkdownTable table = new MarkdownTable(List.of("name|with pipe", "value", "note"))
                .addRow("a|b", Double.NaN, "line1\nline2")
                .addRow(List.of("c", -0.001, "x"))
                .addRow(null, Double.POSITIVE_INFINITY, 3);
        String[] lines = table.render().split("\n");
        assertEquals(2 + table.rowCount(), lines.length);
        for (String line : lines) {
            assertTrue(line.startsWith("| ") && line.endsWith(" |"), line);
            // Unescaped pipes delimit cells: 3 columns -> 4 pipes.
            assertEquals(4, line.replace("\\|", "").chars().filter(c -> c == '|').count(), line);
        }
        assertTrue(lines[2].contains("a\\|b") && lines[2].contains("\u2014") && lines[2].contains("line1<br>line2"));
        assertTrue(lines[3].contains(" 0.00 "), lines[3]);
        assertTrue(lines[4].contains("\u221e"), lines[4]);
    }

    @Test
    void alignmentCanBeOverridden() {
        String table = new MarkdownTable("a", "b", "c")
                .align(0, MarkdownTable.Align.CENTER).align(1, MarkdownTable.Align.LEFT)
                .addRow("x", 1, 2.0).render();
        assertEquals("| :-: | :-- | ---: |", table.split("\n")[1]);
    }

    @Test
    void headerOnlyTableIsValid() {
        assertEquals("| a   | bb  |\n| --- | --- |\n", new MarkdownTable("a", "bb").render());
    }

    @Test
    void rejectsWrongRowWidthAndBadSettings() {
        MarkdownTable table = new MarkdownTable("a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.addRow("only one"));
        assertTrue(e.getMessage().contains("cells=1, columns=2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> table.decimals(-1));
        assertThrows(IllegalArgumentException.class, () -> table.align(2, MarkdownTable.Align.LEFT));
        assertThrows(IllegalArgumentException.class, () -> new MarkdownTable());
    }
}
