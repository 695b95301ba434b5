package io.jcompose.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@code up} was asked for.
 *
 * @param services           services named on the command line; empty: all
 * @param scale              {@code --scale svc=n} overrides (else {@code scale:} / {@code deploy.replicas})
 * @param pull               {@code --pull}: overrides every service's pull_policy; empty: each service's own
 * @param noStart            create, never start (and so never await)
 * @param waitReady          {@code --wait}: finish with an await on every started service
 * @param timeout            {@code -t}: stop timeout when containers are replaced or removed
 * @param configFiles        absolute paths, for the {@value Labels#CONFIG_FILES} label
 * @param version            jcompose's version, for the {@value Labels#VERSION} label
 * @param build              {@code --build} / {@code --no-build}; default: build what is missing or {@code pull_policy: build}
 * @param env                jcompose's environment, for build arguments declared without a value
 * @param files              where secrets and configs are read; the 15-argument form reads environment sources
 *                           from {@code env} (the CLI passes the project's environment instead)
 */
public record UpOptions(List<String> services, boolean forceRecreate, boolean noRecreate, boolean noDeps,
                        boolean alwaysRecreateDeps, boolean removeOrphans, SortedMap<String, Integer> scale,
                        Optional<PullPolicy> pull, boolean noStart, boolean waitReady, Optional<java.time.Duration> timeout,
                        List<String> configFiles, String version, BuildPolicy build,
                        java.util.function.Function<String, String> env, io.jcompose.reconcile.FileContents files) {
    public UpOptions {
        services = List.copyOf(services);
        scale = new TreeMap<>(scale);
        if (forceRecreate && noRecreate) throw new IllegalArgumentException("--force-recreate and --no-recreate are incompatible");
        if (alwaysRecreateDeps && noRecreate) throw new IllegalArgumentException("--always-recreate-deps and --no-recreate are incompatible");
        scale.forEach((k, v) -> {
            if (v < 0) throw new IllegalArgumentException("--scale " + k + "=" + v + ": must be >= 0");
        });
        configFiles = List.copyOf(configFiles);
        java.util.Objects.requireNonNull(build);
        java.util.Objects.requireNonNull(env);
        if (files == null) files = FileContents.reading(env);
    }

    public UpOptions(List<String> services, boolean forceRecreate, boolean noRecreate, boolean noDeps,
                     boolean alwaysRecreateDeps, boolean removeOrphans, SortedMap<String, Integer> scale,
                     Optional<PullPolicy> pull, boolean noStart, boolean waitReady, Optional<java.time.Duration> timeout,
                     List<String> configFiles, String version, BuildPolicy build, java.util.function.Function<String, String> env) {
        this(services, forceRecreate, noRecreate, noDeps, alwaysRecreateDeps, removeOrphans, scale, pull, noStart,
                waitReady, timeout, configFiles, version, build, env, null);
    }

    /** These options with secrets and configs read from {@code projectEnvironment} (interpolation's variables). */
    public UpOptions withProjectEnvironment(Map<String, String> projectEnvironment) {
        Map<String, String> copy = Map.copyOf(projectEnvironment);
        return with(b -> { b.files = FileContents.reading(copy::get); return b; });
    }

    /** Without build flags (the default build policy, no environment). */
    public UpOptions(List<String> services, boolean forceRecreate, boolean noRecreate, boolean noDeps,
                     boolean alwaysRecreateDeps, boolean removeOrphans, SortedMap<String, Integer> scale,
                     Optional<PullPolicy> pull, boolean noStart, boolean waitReady, Optional<java.time.Duration> timeout,
                     List<String> configFiles, String version) {
        this(services, forceRecreate, noRecreate, noDeps, alwaysRecreateDeps, removeOrphans, scale, pull, noStart,
                waitReady, timeout, configFiles, version, BuildPolicy.DEFAULT, k -> null);
    }

    public static UpOptions defaults() {
        return new UpOptions(List.of(), false, false, false, false, false, new TreeMap<>(), Optional.empty(), false,
                false, Optional.empty(), List.of(), "");
    }

    public UpOptions with(java.util.function.UnaryOperator<Builder> change) {
        return change.apply(new Builder(this)).build();
    }

    /** A mutable copy for tests and the CLI. */
    public static final class Builder {
        public List<String> services; public boolean forceRecreate, noRecreate, noDeps, alwaysRecreateDeps, removeOrphans;
        public SortedMap<String, Integer> scale; public Optional<PullPolicy> pull; public boolean noStart, waitReady;
        public Optional<java.time.Duration> timeout; public List<String> configFiles; public String version;
        public BuildPolicy build; public java.util.function.Function<String, String> env; public FileContents files;

        Builder(UpOptions o) {
            services = o.services; forceRecreate = o.forceRecreate; noRecreate = o.noRecreate; noDeps = o.noDeps;
            alwaysRecreateDeps = o.alwaysRecreateDeps; removeOrphans = o.removeOrphans; scale = new TreeMap<>(o.scale);
            pull = o.pull; noStart = o.noStart; waitReady = o.waitReady; timeout = o.timeout;
            configFiles = o.configFiles; version = o.version; build = o.build; env = o.env; files = o.files;
        }

        public Builder services(String... s) { services = List.of(s); return this; }
        public Builder scale(Map<String, Integer> m) { scale = new TreeMap<>(m); return this; }

        UpOptions build() {
            return new UpOptions(services, forceRecreate, noRecreate, noDeps, alwaysRecreateDeps, removeOrphans, scale,
                    pull, noStart, waitReady, timeout, configFiles, version, build, env, files);
        }
    }

    /** When {@code up}/{@code create} build a service's image ({@code build:}). */
    public enum BuildPolicy {
        /** Build when the image is missing, or always with {@code pull_policy: build}. */
        DEFAULT,
        /** {@code --build}: build every selected service that has {@code build:}. */
        ALWAYS,
        /** {@code --no-build}: never build; a missing image is an error. */
        NEVER
    }

    /** {@code --pull} / {@code pull_policy}. */
    public enum PullPolicy {
        /** Pull only images that are not present. */
        MISSING,
        /** Pull every image, even if present. */
        ALWAYS,
        /** Never pull; a missing image fails at create. */
        NEVER;

        /** Compose's spellings; {@code if_not_present} is {@code missing}, {@code build}/{@code daily} behave as missing. */
        public static PullPolicy of(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "always" -> ALWAYS;
                case "never" -> NEVER;
                default -> MISSING;
            };
        }
    }
}
