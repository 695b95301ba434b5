package io.jcompose.reconcile;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A canonical JSON rendering of model values, the input of {@link ConfigHash}: object keys sorted, no whitespace,
 * records as objects of their components, {@link Duration}s as nanoseconds, and absent values (empty Optionals,
 * empty collections, empty maps, records with nothing set) left out so that adding an unset field to the model does not change old hashes.
 */
final class CanonicalJson {
    private CanonicalJson() {}

    /** True for the values {@link #write} leaves out of an object. */
    static boolean absent(Object v) {
        return v == null
                || v instanceof Optional<?> o && o.isEmpty()
                || v instanceof Collection<?> c && c.isEmpty()
                || v instanceof Map<?, ?> m && m.isEmpty()
                || v instanceof Record r && write(r).equals("{}")
                || v instanceof Optional<?> o2 && o2.get() instanceof Record r2 && write(r2).equals("{}");
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb) {
        if (v instanceof Optional<?> o) {
            write(o.orElse(null), sb);
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(s, sb);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Number n) {
            // Doubles (cpus): a plain decimal, never exponent notation, so 0.5 is always "0.5".
            sb.append(new java.math.BigDecimal(n.toString()).stripTrailingZeros().toPlainString());
        } else if (v instanceof Duration d) {
            sb.append(d.toNanos());
        } else if (v instanceof Enum<?> e) {
            string(e.name().toLowerCase(java.util.Locale.ROOT), sb);
        } else if (v instanceof Path p) {
            string(p.toString(), sb);
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object item : c) {
                if (!first) sb.append(',');
                first = false;
                write(item, sb);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
            object(sorted, sb, false);
        } else if (v instanceof Record r) {
            TreeMap<String, Object> fields = new TreeMap<>();
            for (RecordComponent rc : r.getClass().getRecordComponents()) {
                try {
                    fields.put(rc.getName(), rc.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + rc, e);
                }
            }
            object(fields, sb, true);
        } else {
            throw new IllegalArgumentException("no canonical JSON form for " + v.getClass().getName());
        }
    }

    /** Maps keep every entry (an empty value is data); records drop absent components (see the class comment). */
    private static void object(TreeMap<String, Object> fields, StringBuilder sb, boolean dropAbsent) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (dropAbsent && absent(e.getValue())) continue;
            if (!first) sb.append(',');
            first = false;
            string(e.getKey(), sb);
            sb.append(':');
            write(e.getValue(), sb);
        }
        sb.append('}');
    }

    private static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }
}
