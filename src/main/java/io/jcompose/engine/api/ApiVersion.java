package io.jcompose.engine.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Engine API version ("1.41"). Requests may carry it as a path prefix ({@code /v1.41/info}); without one
 * they are served at {@link #MAX}, as Docker does.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {
    /** The oldest version we accept: the one docker-py and old compose files still name. */
    public static final ApiVersion MIN = new ApiVersion(1, 24);
    /** The newest version we speak (dockerd 20.10's); newer clients negotiate down to it via /_ping's API-Version. */
    public static final ApiVersion MAX = new ApiVersion(1, 41);

    private static final Pattern PREFIX = Pattern.compile("^/v([0-9]+)\\.([0-9]+)(/.*)?$");

    public ApiVersion {
        if (major < 0 || minor < 0) throw new IllegalArgumentException("negative API version " + major + "." + minor);
    }

    /** A version prefix split off a path: {@code /v1.38/info} gives 1.38 and {@code /info}. */
    record Prefixed(ApiVersion version, String rest) {}

    /** Splits a version prefix off {@code path}; empty if the path has none (then it is served at {@link #MAX}). */
    static Optional<Prefixed> splitPrefix(String path) {
        Matcher m = PREFIX.matcher(path);
        if (!m.matches()) return Optional.empty();
        try {
            ApiVersion v = new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            return Optional.of(new Prefixed(v, m.group(3) == null ? "/" : m.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty(); // absurdly long digits: not a version we could serve; routes will 404
        }
    }

    /** Docker's own error text (and status 400) for a version out of our range; empty when it is in range. */
    Optional<ApiException> checkSupported() {
        if (compareTo(MIN) < 0) {
            return Optional.of(ApiException.invalid("client version " + this + " is too old. Minimum supported API version is "
                    + MIN + ", please upgrade your client to a newer version"));
        }
        if (compareTo(MAX) > 0) {
            return Optional.of(ApiException.invalid("client version " + this + " is too new. Maximum supported API version is " + MAX));
        }
        return Optional.empty();
    }

    public boolean atLeast(int major, int minor) {
        return compareTo(new ApiVersion(major, minor)) >= 0;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
