package io.jcompose.project;

import java.util.List;
import java.util.Set;

/**
 * Stage 7: services whose profiles are not active are removed. Naming a service on the command line enables its
 * profiles. A depends_on on a disabled service is a located error.
 */
public final class Profiles {
    public Node apply(Node canonical, Set<String> activeProfiles, List<String> requestedServices) {
        throw new UnsupportedOperationException("Profiles: being implemented (loader-merge)");
    }
}
