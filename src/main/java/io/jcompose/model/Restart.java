package io.jcompose.model;

import java.util.Objects;

/**
 * The restart policy: {@code restart:} or, when set, {@code deploy.restart_policy} (as docker compose applies it).
 *
 * @param maxAttempts for {@code ON_FAILURE}: how many restarts at most; 0 = unlimited
 */
public record Restart(Policy policy, int maxAttempts) {
    public Restart {
        Objects.requireNonNull(policy, "policy");
        if (maxAttempts < 0) throw new IllegalArgumentException("maxAttempts must be >= 0, got " + maxAttempts);
    }

    public static final Restart NO = new Restart(Policy.NO, 0);

    /** Docker's restart policies. */
    public enum Policy {
        NO("no"), ALWAYS("always"), ON_FAILURE("on-failure"), UNLESS_STOPPED("unless-stopped");

        private final String dockerName;

        Policy(String dockerName) {
            this.dockerName = dockerName;
        }

        public String dockerName() {
            return dockerName;
        }
    }
}
