package io.socktrace.bench.suite;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table with aligned columns, so the same text reads in a terminal and pastes into a document. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        rows.add(cells);
    }

    boolean hasRows() {
        return rows.size() > 1;
    }

    String render() {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], cell(row, c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), widths);
            if (r == 0) {
                String[] rule = new String[columns];
                for (int c = 0; c < columns; c++) {
                    rule[c] = "-".repeat(widths[c]);
                }
                line(out, rule, widths);
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] row, int[] widths) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cell(row, c);
            out.append(' ').append(cell).append(" ".repeat(widths[c] - cell.length())).append(" |");
        }
        out.append('\n');
    }

    private static String cell(String[] row, int c) {
        return c < row.length && row[c] != null ? row[c] : "";
    }
}
