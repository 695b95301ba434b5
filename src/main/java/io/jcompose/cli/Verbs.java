package io.jcompose.cli;

import io.jcompose.model.Project;
import io.jcompose.runtime.EngineException;
import java.util.List;

/** What the engine verbs share: load the project, open the engine, turn engine failures into one-line errors. */
final class Verbs {
    private Verbs() {}

    /** The body of a verb, given the loaded project and an open engine. */
    interface Body {
        int run(Project project, Engine engine) throws Exception;
    }

    static int withProject(JcomposeCommand root, List<String> services, Body body) throws Exception {
        Project p = ProjectAccess.load(root, services).model();
        try (Engine engine = Engine.open(root)) {
            return body.run(p, engine);
        } catch (EngineException e) {
            throw new CliException(ExitCodes.FAILURE, "jcompose: " + e.getMessage(), e);
        }
    }
}
