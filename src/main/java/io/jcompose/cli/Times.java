package io.jcompose.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Time flags as docker takes them ({@code --since}, {@code --until}): RFC 3339 ({@code 2024-01-01T10:00:00Z}),
 * Unix seconds ({@code 1700000000} or {@code 1700000000.5}), or a duration back from now ({@code 10m}, {@code 1h30m}).
 */
final class Times {
    private Times() {}

    static Instant parse(String value, String flag) {
        return parse(value, flag, Instant.now());
    }

    static Instant parse(String value, String flag, Instant now) {
        if (value == null || value.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException ignored) {
            // not RFC 3339: try the other forms
        }
        if (value.matches("\\d+(\\.\\d+)?")) {
            java.math.BigDecimal s = new java.math.BigDecimal(value);
            return Instant.ofEpochSecond(s.longValue(), s.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
        }
        if (value.matches("(\\d+(\\.\\d+)?(ns|us|ms|s|m|h))+")) {
            Duration d = Duration.ZERO;
            var m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|s|m|h)").matcher(value);
            while (m.find()) {
                double n = Double.parseDouble(m.group(1));
                long nanos = (long) (n * switch (m.group(2)) {
                    case "ns" -> 1L;
                    case "us" -> 1_000L;
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                });
                d = d.plusNanos(nanos);
            }
            return now.minus(d);
        }
        throw new CliException(ExitCodes.COMMAND_SYNTAX, flag + ": cannot parse \"" + value
                + "\" (use RFC 3339 like 2024-01-01T10:00:00Z, Unix seconds, or a duration like 10m)");
    }
}
