package io.jcompose.cli;

import java.io.PrintStream;
import java.util.List;

/** Column-aligned tables as docker prints them: columns three spaces apart, no trailing blanks. */
final class Tables {
    private Tables() {}

    static void print(PrintStream out, List<String[]> rows) {
        if (rows.isEmpty()) return;
        int n = rows.get(0).length;
        int[] w = new int[n];
        for (String[] r : rows) for (int i = 0; i < n; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(r[i]);
                if (i < n - 1) sb.append(" ".repeat(w[i] - r[i].length() + 3));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
