package dev.cmr.monitor.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * A GitHub-flavoured Markdown table: a header row, a separator row, then the rows added, every row with exactly as
 * many cells as the header (so the table renders as a grid). A {@code |} inside a cell is escaped as {@code \|}.
 * Mutable until rendered; not thread-safe.
 */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(String... header) {
        this.header = List.of(header);
    }

    /** @throws IllegalArgumentException if the row has not as many cells as the header */
    MarkdownTable row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + header.size()
                    + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The table's lines, each ending with {@code \n}. */
    String render() {
        StringBuilder out = new StringBuilder();
        line(out, header);
        line(out, header.stream().map(h -> "---").toList());
        rows.forEach(row -> line(out, row));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }
}
