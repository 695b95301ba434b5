package io.jcompose.e2e;

/**
 * docker compose's config scenarios (compose_environment_test.go, compose_test.go, config_test.go): rendering and
 * interpolation of the model. Each method is the transcription in SCENARIOS.md, step for step.
 */
// Class-level tag too: per-class time budgets read the class's own tags (methods carry them via @ComposeScenario).
@org.junit.jupiter.api.Tag("integration")
class ConfigScenariosTest {

    @ComposeScenario("TestEnvInterpolation")
    void envInterpolation(Scenario s) {
        // step: config interpolates the image from the shell's value
        s.cmd("config").withEnv("WHEREAMI=shell").run().outputContains("IMAGE: default_env:shell");
    }

    @ComposeScenario("TestEnvInterpolationDefaultValue")
    void envInterpolationDefaultValue(Scenario s) {
        // step: config interpolates the image from the default value
        s.compose("config").outputContains("IMAGE: default_env:EnvFileDefaultValue");
    }

    @ComposeScenario("TestConfig")
    void config(Scenario s) {
        // step: the rendering resolves the context and names the default network
        s.compose("config").outputContains(String.format(
                "name: %s services: nginx: build: context: %s dockerfile: Dockerfile networks: default: null networks: default: name: %s_default ",
                s.project(), s.dir().resolve("nginx-build"), s.project()));
    }

    @ComposeScenario("TestConfigInterpolate")
    void configInterpolate(Scenario s) {
        // step: the rendering keeps the dockerfile variable
        s.compose("config", "--no-interpolate").outputContains(String.format(
                "name: %s networks: default: name: %s_default services: nginx: build: context: %s dockerfile: ${MYVAR} networks: default: null ",
                s.project(), s.project(), s.dir().resolve("nginx-build")));
    }

    @ComposeScenario("TestLocalComposeConfig")
    void localComposeConfig(Scenario s) {
        // step: the yaml rendering expands the port shorthand
        s.compose("config").outputContains(" ports: - mode: ingress target: 80 published: \"8080\" protocol: tcp");
        // step: the json rendering carries the same resolution
        s.compose("config", "--format", "json").outputContains("\"published\": \"8080\"");
        // step: --no-interpolate keeps the variable expression
        s.compose("config", "--no-interpolate").outputContains("- ${PORT:-8080}:80");
        // step: --no-interpolate warns that service selection is ignored
        s.compose("config", "--no-interpolate", "test")
                .outputContains("service filtering is not applied when --no-interpolate is set")
                .outputContains("- ${PORT:-8080}:80");
        // step: --variables renders the model's variables as json
        s.compose("config", "--variables", "--format", "json").outputContains(
                "{ \"PORT\": { \"Name\": \"PORT\", \"DefaultValue\": \"8080\", \"PresenceValue\": \"\", \"Required\": false } }");
        // step: --variables renders the model's variables as yaml
        s.compose("config", "--variables", "--format", "yaml")
                .outputContains("PORT: name: PORT defaultvalue: \"8080\" presencevalue: \"\" required: false");
        // step: --variables warns that service selection is ignored
        s.compose("config", "--variables", "test")
                .outputContains("service filtering is not applied when --variables is set")
                .outputContains("PORT");
    }
}
