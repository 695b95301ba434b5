package io.jcompose.e2e;

/**
 * docker compose's scenarios that build their images (build_test.go, compose_environment_test.go,
 * compose_run_build_once_test.go, scale_test.go). The fixtures' {@code FROM alpine} resolves to the harness'
 * look-alike; dockerd builds with its classic builder ({@code POST /build}, no BuildKit), as jcompose always asks.
 */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class BuildScenariosTest {

    /** {@code s.Defer(DockerCmd("image", "rm", "-f", s.Project()+"-"+service).MayFail())} for each service. */
    private static void removeImagesAfter(Scenario s, String... services) {
        for (String service : services) s.defer(() -> s.dockerMayFail("image", "rm", "-f", s.project() + "-" + service));
    }

    @ComposeScenario("TestBuildSubset")
    void buildSubset(Scenario s) {
        removeImagesAfter(s, "main");
        // step: build main reports it built
        s.compose("build", "main").outputContains("main Built");
    }

    @ComposeScenario("TestUpBuildUnchangedContext")
    void upBuildUnchangedContext(Scenario s) {
        removeImagesAfter(s, "app");
        // step: up builds the image and starts the service
        s.compose("up", "-d", "--build");
        s.serviceState("app", "running");
        // step: an unchanged up --build reuses the cached image and the container
        s.compose("up", "-d", "--build");
        s.notRecreated("app");
        s.labelUnchanged("app", "com.docker.compose.config-hash");
    }

    @ComposeScenario("TestEnvPriorityComposeEnvironment")
    void envPriorityComposeEnvironment(Scenario s) {
        removeImagesAfter(s, "env-compose-priority");
        String override = s.dir().resolve(".env.override").toString();
        // step: run -e with the variable set in the shell wins over the environment section
        s.cmd("--env-file", override, "run", "--rm", "-e", "WHEREAMI", "env-compose-priority").withEnv("WHEREAMI=shell").run()
                .stdoutContains("shell");
        // step: run -e with an explicit value wins over the environment section
        s.compose("--env-file", override, "run", "--rm", "-e", "WHEREAMI=shell", "env-compose-priority").stdoutContains("shell");
    }

    @ComposeScenario("TestEnvPriority")
    void envPriority(Scenario s) {
        removeImagesAfter(s, "env-compose-priority");
        String override = s.dir().resolve(".env.override").toString();
        String withDefault = s.dir().resolve(".env.override.with.default").toString();
        // step: the shell's value wins over an override env file
        s.cmd("--env-file", override, "run", "--rm", "-e", "WHEREAMI", "env-compose-priority").withEnv("WHEREAMI=shell").run()
                .stdoutContains("shell");
        // step: the shell's value wins over an env file defaulting the same variable
        s.cmd("--env-file", withDefault, "run", "--rm", "-e", "WHEREAMI", "env-compose-priority").withEnv("WHEREAMI=shell").run()
                .stdoutContains("shell");
        // step: with no shell value, the env file's default value applies
        s.compose("--env-file", withDefault, "run", "--rm", "-e", "WHEREAMI", "env-compose-priority").stdoutContains("EnvFileDefaultValue");
        // step: COMPOSE_ENV_FILES designates the env file like --env-file would
        s.cmd("run", "--rm", "-e", "WHEREAMI", "env-compose-priority").withEnv("COMPOSE_ENV_FILES=" + withDefault).run()
                .stdoutContains("EnvFileDefaultValue");
        // step: an explicit run -e value beats every file
        s.compose("--env-file", override, "run", "--rm", "-e", "WHEREAMI=shell-run", "env-compose-priority").stdoutContains("shell-run");
        // step: an override env file beats the project's .env
        s.compose("--env-file", override, "run", "--rm", "-e", "WHEREAMI", "env-compose-priority").stdoutContains("override");
        // step: without flags the project's .env applies
        s.compose("run", "--rm", "-e", "WHEREAMI", "env-compose-priority").stdoutContains("Env File");
        // step: with an empty env file the image's ENV survives
        s.compose("--env-file", s.dir().resolve(".env.empty").toString(), "run", "--rm", "-e", "WHEREAMI", "env-compose-priority")
                .stdoutContains("Dockerfile");
    }

    @ComposeScenario("TestCommentsInEnvFile")
    void commentsInEnvFile(Scenario s) {
        removeImagesAfter(s, "env-file-comments");
        // step: build the probe image
        s.compose("build");
        // step: the comment is stripped unless quoted
        s.compose("run", "--rm", "-e", "COMMENT", "-e", "NO_COMMENT", "env-file-comments")
                .stdoutContains("COMMENT=1234")
                .stdoutContains("NO_COMMENT=1234#5");
    }

    @ComposeScenario("TestRunBuildOnceNestedDependencies")
    void runBuildOnceNestedDependencies(Scenario s) {
        removeImagesAfter(s, "db", "api", "app");
        // step: run builds the whole chain, each image once
        CmdResult r = s.compose("--verbose", "run", "--build", "--rm", "app");
        for (String service : new String[] {"db", "api", "app"}) builtOnce(r, s.project(), service);
        r.stdoutContains("App running");
    }

    /**
     * Upstream's {@code builtOnce}: BuildKit's "naming to …<project>-<service>… done" appears once in the verbose
     * output. The classic builder (the only one jcompose drives) names the image with "Successfully tagged
     * <image>": the same report, in its words.
     */
    private static void builtOnce(CmdResult r, String project, String service) {
        r.outputMatchesCount("Successfully tagged (docker\\.io/library/)?" + java.util.regex.Pattern.quote(project + "-" + service) + ":", 1);
    }

    @ComposeScenario("TestScaleDownNoRecreate")
    void scaleDownNoRecreate(Scenario s) {
        removeImagesAfter(s, "test");
        // step: build and start two replicas of the first image
        s.compose("build", "--build-arg", "FOO=test");
        // step: up starts replicas #1 and #2
        s.compose("up", "-d", "--scale", "test=2");
        s.replicaNumbers("test", 1, 2);
        // step: rebuild changes the image the service should run
        s.compose("build", "--build-arg", "FOO=updated");
        // step: up --no-recreate adds fresh replicas without touching stale ones
        s.compose("up", "-d", "--scale", "test=4", "--no-recreate");
        s.replicaNumbers("test", 1, 2, 3, 4);
        // step: scale down drops the stale replicas and keeps the up-to-date ones
        s.compose("up", "-d", "--scale", "test=2");
        s.replicaNumbers("test", 3, 4);
    }
}
