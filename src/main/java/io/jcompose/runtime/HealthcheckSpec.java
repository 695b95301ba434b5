package io.jcompose.runtime;

import java.time.Duration;
import java.util.List;

/**
 * A container health check, in Docker's form.
 *
 * @param test          {@code ["CMD", args…]}, {@code ["CMD-SHELL", command]}, or {@code ["NONE"]} to disable the
 *                      image's check; empty list: inherit the image's test
 * @param interval      null: engine default (30 s)
 * @param timeout       null: engine default (30 s)
 * @param startPeriod   null: engine default (0)
 * @param startInterval null: engine default (5 s; ignored by engines before API 1.44)
 * @param retries       0: engine default (3)
 */
public record HealthcheckSpec(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                              Duration startInterval, int retries) {
    public HealthcheckSpec {
        test = List.copyOf(test == null ? List.of() : test);
        if (!test.isEmpty() && !List.of("CMD", "CMD-SHELL", "NONE").contains(test.get(0))) {
            throw new IllegalArgumentException("healthcheck test must start with CMD, CMD-SHELL or NONE, got " + test);
        }
        if (retries < 0) throw new IllegalArgumentException("healthcheck retries must be >= 0, got " + retries);
    }

    public static HealthcheckSpec disabled() {
        return new HealthcheckSpec(List.of("NONE"), null, null, null, null, 0);
    }
}
