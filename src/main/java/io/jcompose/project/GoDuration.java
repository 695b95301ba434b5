package io.jcompose.project;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Compose reads and prints them: Go's {@code time.ParseDuration} syntax in, Go's
 * {@code Duration.String()} out ({@code 90s} prints {@code 1m30s}, {@code 1h} prints {@code 1h0m0s}), because
 * {@code docker compose config} prints them that way and golden files compare with it.
 */
final class GoDuration {
    private GoDuration() {}

    private static final Pattern PART = Pattern.compile("([0-9]*(?:\\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h|d)");

    /** Nanoseconds of {@code text}, or throws {@link IllegalArgumentException} with a one-line reason. */
    static long parseNanos(String text) {
        String s = text.trim();
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        Matcher m = PART.matcher(s);
        int at = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at || m.group(1).isEmpty() || m.group(1).equals(".")) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\" (write a number with a unit: ns, us, ms, s, m, h; e.g. 1m30s)");
            }
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L; // days: not Go's, but the schema stage accepts them, so we must too
            };
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        // int64 nanoseconds, as Go's ParseDuration; longValue() would wrap a huge value silently.
        if (total.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\": too long (at most 2562047h47m16s)");
        }
        long nanos = total.longValue();
        return negative ? -nanos : nanos;
    }

    /** Go's {@code time.Duration.String()}. */
    static String format(long nanos) {
        if (nanos == 0) return "0s";
        String sign = nanos < 0 ? "-" : "";
        long d = Math.abs(nanos);
        if (d < 1_000_000_000L) {
            if (d < 1_000L) return sign + d + "ns";
            if (d < 1_000_000L) return sign + fraction(d, 1_000L) + "µs";
            return sign + fraction(d, 1_000_000L) + "ms";
        }
        long hours = d / 3_600_000_000_000L;
        long minutes = (d / 60_000_000_000L) % 60;
        String seconds = fraction(d % 60_000_000_000L, 1_000_000_000L) + "s";
        if (hours > 0) return sign + hours + "h" + minutes + "m" + seconds;
        if (minutes > 0) return sign + minutes + "m" + seconds;
        return sign + seconds;
    }

    private static String fraction(long value, long unit) {
        BigDecimal v = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
        return v.toPlainString();
    }
}
