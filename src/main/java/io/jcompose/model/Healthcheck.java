package io.jcompose.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A service's health check. Empty optionals mean "the image's value, else the engine default" (30s, 30s, 0s, 5s, 3).
 *
 * @param test     {@code ["CMD", …]}, {@code ["CMD-SHELL", "…"]} or {@code ["NONE"]}; empty: the image's test
 * @param disabled {@code disable: true} (or test {@code NONE}): no check at all, even the image's
 */
public record Healthcheck(List<String> test, Optional<Duration> interval, Optional<Duration> timeout, Optional<Integer> retries,
                          Optional<Duration> startPeriod, Optional<Duration> startInterval, boolean disabled) {
    public Healthcheck {
        test = List.copyOf(test);
        Copies.opt(interval);
        Copies.opt(timeout);
        Copies.opt(startPeriod);
        Copies.opt(startInterval);
        if (retries.isPresent() && retries.get() < 0) throw new IllegalArgumentException("retries must be >= 0, got " + retries.get());
        if (!test.isEmpty() && !test.get(0).equals("CMD") && !test.get(0).equals("CMD-SHELL") && !test.get(0).equals("NONE")) {
            throw new IllegalArgumentException("test must start with CMD, CMD-SHELL or NONE, got " + test);
        }
    }
}
