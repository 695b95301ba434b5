package io.jcompose.model;

import java.util.Objects;

/**
 * One {@code depends_on} entry.
 *
 * @param required false: a missing or disabled dependency is ignored with a warning (Compose's {@code required: false})
 * @param restart  true: restarting the dependency restarts this service too
 */
public record Dependency(Condition condition, boolean required, boolean restart) {
    public Dependency {
        Objects.requireNonNull(condition, "condition");
    }

    /** When a dependency counts as ready. */
    public enum Condition {
        SERVICE_STARTED("service_started"),
        SERVICE_HEALTHY("service_healthy"),
        SERVICE_COMPLETED_SUCCESSFULLY("service_completed_successfully");

        private final String composeName;

        Condition(String composeName) {
            this.composeName = composeName;
        }

        /** The spelling in Compose files. */
        public String composeName() {
            return composeName;
        }

        public static Condition of(String composeName) {
            for (Condition c : values()) if (c.composeName.equals(composeName)) return c;
            throw new IllegalArgumentException("unknown depends_on condition \"" + composeName + "\"");
        }
    }
}
