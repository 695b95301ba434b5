package io.jcompose.project;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The value syntaxes Compose borrows from Go and Docker: durations ({@code 1m30s}) and byte sizes ({@code 512m}). */
final class Units {
    private Units() {}

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h|d|w)");
    private static final Pattern BYTES = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtp])?(i)?(b)?\\s*$", Pattern.CASE_INSENSITIVE);

    /**
     * The duration syntax compose-go reads (go-str2duration: Go's {@code time.ParseDuration} plus {@code d} and
     * {@code w}): {@code 1h2m3.5s}, {@code 300ms}, {@code 2d}, {@code 0}; throws {@link IllegalArgumentException} with a message fit for users.
     */
    static Duration duration(String text) {
        String s = text.trim();
        if (s.equals("0")) return Duration.ZERO;
        boolean negative = s.startsWith("-");
        if (s.startsWith("-") || s.startsWith("+")) s = s.substring(1);
        if (s.isEmpty()) throw badDuration(text);
        Matcher m = DURATION_PART.matcher(s);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) throw badDuration(text);
            BigDecimal v = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                case "d" -> 86_400_000_000_000L;
                default -> 604_800_000_000_000L;
            };
            nanos = nanos.add(v.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        // Go's time.Duration is int64 nanoseconds (about 292 years); ParseDuration rejects more, and so do we.
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long (at most 2562047h47m16s)");
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return negative ? d.negated() : d;
    }

    private static IllegalArgumentException badDuration(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\" (write e.g. 30s, 1m30s, 500ms)");
    }

    /** Docker's {@code RAMInBytes}: a number with an optional binary unit ({@code 512m}, {@code 1gb}, {@code 1.5GiB}). */
    static long bytes(String text) {
        Matcher m = BYTES.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("invalid byte size \"" + text + "\" (write e.g. 512m, 1gb or a number of bytes)");
        BigDecimal v = new BigDecimal(m.group(1));
        int power = m.group(2) == null ? 0 : "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
        BigDecimal bytes = v.multiply(BigDecimal.valueOf(1024).pow(power));
        // Docker's sizes are int64; longValue() would wrap silently to a negative or small size.
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("byte size \"" + text + "\" is too large (at most 8 EiB)");
        }
        return bytes.longValue();
    }

    /** Go's {@code Duration.String()} form, as docker compose prints durations ({@code 1m30s}, {@code 500ms}). */
    static String format(Duration d) {
        if (d.isZero()) return "0s";
        StringBuilder sb = new StringBuilder();
        if (d.isNegative()) {
            sb.append('-');
            d = d.negated();
        }
        long h = d.toHours();
        int m = d.toMinutesPart();
        int s = d.toSecondsPart();
        int n = d.toNanosPart();
        if (h == 0 && m == 0 && s == 0) {
            if (n % 1_000_000 == 0) return sb.append(n / 1_000_000).append("ms").toString();
            if (n % 1_000 == 0) return sb.append(n / 1_000).append("µs").toString();
            return sb.append(n).append("ns").toString();
        }
        if (h > 0) sb.append(h).append('h');
        if (h > 0 || m > 0) sb.append(m).append('m');
        sb.append(s);
        if (n > 0) sb.append('.').append(String.format("%09d", n).replaceAll("0+$", ""));
        return sb.append('s').toString();
    }
}
