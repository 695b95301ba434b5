package io.jcompose.project;

import java.util.Locale;

/**
 * Compose project names: {@code [a-z0-9][a-z0-9_-]*}. A name the user gives ({@code -p}, {@code COMPOSE_PROJECT_NAME},
 * top-level {@code name:}) must already be valid; a name taken from a directory is normalised as Compose does
 * (lowercased, other characters dropped, leading {@code _}/{@code -} dropped).
 */
final class ProjectName {
    private ProjectName() {}

    static final String RULE = "must contain only lowercase letters, digits, dashes (-) and underscores (_), and start with a letter or digit";

    static String normalize(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (char c : raw.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') sb.append(c);
        }
        int start = 0;
        while (start < sb.length() && (sb.charAt(start) == '_' || sb.charAt(start) == '-')) start++;
        return sb.substring(start);
    }

    static boolean isValid(String name) {
        return !name.isEmpty() && normalize(name).equals(name);
    }

    /** Checks a user-given name; {@code source} says where it came from ("-p", "COMPOSE_PROJECT_NAME" …). */
    static String validate(String name, String source, Location at) {
        if (!isValid(name)) {
            throw new ComposeFileException(at, at == Location.NONE ? "" : "name",
                    "invalid project name \"" + name + "\" (from " + source + "): " + RULE);
        }
        return name;
    }
}
