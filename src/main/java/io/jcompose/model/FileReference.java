package io.jcompose.model;

import java.util.Optional;

/**
 * A service's use of a project secret or config ({@code services.*.secrets} / {@code configs}, long syntax).
 *
 * @param source the project-level secret/config key
 * @param target path in the container; empty: {@code /run/secrets/<source>} (secrets) or {@code /<source>} (configs)
 * @param mode   file mode bits; empty: 0444
 */
public record FileReference(String source, Optional<String> target, Optional<String> uid, Optional<String> gid, Optional<Integer> mode) {
    public FileReference {
        source = Copies.name("secret/config", source);
        Copies.opt(target);
        Copies.opt(uid);
        Copies.opt(gid);
        Copies.opt(mode);
    }
}
