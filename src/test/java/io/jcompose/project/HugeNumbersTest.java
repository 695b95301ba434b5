package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A number too large for its field (here 20 nines, beyond a Java long) must fail with a located one-line error
 * ({@code compose.yaml:line:col: path: problem}) at whichever stage parses that field, never escape as a
 * NumberFormatException or ArithmeticException. Found by {@link LoaderFuzzTest} (seed 13059963931773, case 297).
 * Each row: the service's YAML (after {@code web:\n    image: x\n}) with {@code N} for the number, then the path the
 * error must name.
 */
class HugeNumbersTest {
    static final String HUGE = "99999999999999999999";

    @TempDir Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ports: [N]                                              | services.web.ports[0]
        ports: ['N']                                            | services.web.ports[0]
        ports: ['N:80']                                         | services.web.ports[0]
        ports: ['8080:N']                                       | services.web.ports[0]
        ports: ['1-N:80']                                       | services.web.ports[0]
        ports: [{target: N}]                                    | services.web.ports[0].target
        ports: [{target: 'N'}]                                  | services.web.ports[0].target
        ports: [{target: 80, published: N}]                     | services.web.ports[0].published
        expose: [N]                                             | services.web.expose[0]
        expose: ['N']                                           | services.web.expose[0]
        scale: N                                                | services.web.scale
        deploy: {replicas: N}                                   | services.web.deploy.replicas
        cpus: N                                                 | services.web.cpus
        cpu_shares: N                                           | services.web.cpu_shares
        mem_limit: N                                            | services.web.mem_limit
        mem_limit: 'Ng'                                         | services.web.mem_limit
        memswap_limit: N                                        | services.web.memswap_limit
        shm_size: N                                             | services.web.shm_size
        pids_limit: N                                           | services.web.pids_limit
        oom_score_adj: N                                        | services.web.oom_score_adj
        ulimits: {nofile: N}                                    | services.web.ulimits.nofile
        ulimits: {nofile: {soft: N, hard: 10}}                  | services.web.ulimits.nofile.soft
        healthcheck: {test: [CMD, 'true'], retries: N}          | services.web.healthcheck.retries
        healthcheck: {test: [CMD, 'true'], interval: 'Ns'}      | services.web.healthcheck.interval
        stop_grace_period: 'Ns'                                 | services.web.stop_grace_period
        restart: 'on-failure:N'                                 | services.web.restart
        deploy: {restart_policy: {max_attempts: N}}             | services.web.deploy.restart_policy.max_attempts
        deploy: {resources: {limits: {memory: 'Nm'}}}           | services.web.deploy.resources.limits.memory
        deploy: {resources: {limits: {pids: N}}}                | services.web.deploy.resources.limits.pids
        volumes: [{type: tmpfs, target: /t, tmpfs: {size: N}}]  | services.web.volumes[0].tmpfs.size
        secrets: [{source: s, mode: N}]                         | services.web.secrets[0].mode
        secrets: [{source: s, mode: 'N'}]                       | services.web.secrets[0].mode
        """)
    void aHugeNumberIsALocatedError(String service, String path) throws Exception {
        String yaml = "services:\n  web:\n    image: x\n    " + service.replace("N", HUGE) + "\nsecrets:\n  s: {file: ./s}\n";
        Throwable t = load(yaml, Map.of());
        assertThat(t).as(service).isInstanceOf(ComposeFileException.class);
        assertThat(t.getMessage()).as(service).matches("compose\\.yaml:4:\\d+: " + java.util.regex.Pattern.quote(path) + ": .*")
                .doesNotContain("\n").contains(HUGE);
    }

    /** The same through interpolation, where the Interpolator casts {@code ${N}} to a number. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ports: ['${N}']                                   | services.web.ports[0]
        scale: ${N}                                       | services.web.scale
        cpus: ${N}                                        | services.web.cpus
        healthcheck: {test: [CMD, 'true'], retries: '${N}'} | services.web.healthcheck.retries
        ulimits: {nofile: '${N}'}                           | services.web.ulimits.nofile
        """)
    void aHugeInterpolatedNumberIsALocatedError(String service, String path) throws Exception {
        String yaml = "services:\n  web:\n    image: x\n    " + service + "\n";
        Throwable t = load(yaml, Map.of("N", HUGE));
        assertThat(t).as(service).isInstanceOf(ComposeFileException.class);
        assertThat(t.getMessage()).as(service).matches("compose\\.yaml:4:\\d+: " + java.util.regex.Pattern.quote(path) + ": .*")
                .doesNotContain("\n").contains(HUGE);
    }

    private Throwable load(String yaml, Map<String, String> env) throws Exception {
        Files.writeString(tmp.resolve("compose.yaml"), yaml);
        Files.writeString(tmp.resolve("s"), "x");
        ProjectOptions o = new ProjectOptions(tmp, List.of(), Optional.of("huge"), Optional.empty(), List.of(), List.of(),
                List.of(), EnvironmentVariables.of(env), () -> "", true);
        return catchThrowable(() -> new ProjectLoader().load(o));
    }
}
