package dev.maas.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Aligned text columns with a header, as {@code kubectl get} prints them. Not thread-safe. */
public final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  private Table(List<String> headers) {
    this.headers = headers;
  }

  /** A table with these column headers. */
  public static Table of(String... headers) {
    return new Table(List.of(headers));
  }

  /** Adds a row; null cells print as {@code -}. */
  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "a row of " + cells.length + " cells in a table of " + headers.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(Table::text).toList());
    return this;
  }

  /** Whether it has rows. */
  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** Prints the header and the rows, columns two spaces apart, the last one not padded. */
  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    printRow(out, headers, widths);
    for (List<String> row : rows) {
      printRow(out, row, widths);
    }
    out.flush();
  }

  private static void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      line.append(cell);
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.println(line.toString().stripTrailing());
  }

  private static String text(Object cell) {
    if (cell == null) {
      return "-";
    }
    String text = cell.toString();
    return text.isEmpty() ? "-" : text.replace('\n', ' ');
  }
}
