package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jcompose.model.Dependency;
import io.jcompose.model.Healthcheck;
import io.jcompose.model.Mount;
import io.jcompose.model.Network;
import io.jcompose.model.Port;
import io.jcompose.model.Project;
import io.jcompose.model.Restart;
import io.jcompose.model.Service;
import io.jcompose.model.Ulimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Hand-written canonical trees ({@code src/test/resources/bind/<case>/compose.yaml}) bound to the model. */
class BinderTest {
    private static final Path DIR = Path.of("/srv/shop");

    private static Project bind(String name) throws IOException {
        Path file = Golden.stageDir("bind").resolve(name).resolve("compose.yaml");
        Node tree = new YamlReader().read("compose.yaml", Golden.read(file));
        assertThat(new SchemaValidator().violations(tree)).as("the case is valid Compose").isEmpty();
        return new Binder().bind(tree, DIR);
    }

    @Test
    void fullService() throws IOException {
        Project p = bind("full-service");
        assertThat(p.name()).isEqualTo("shop");
        assertThat(p.workingDir()).isEqualTo(DIR);
        assertThat(p.services().keySet()).containsExactly("cache", "db", "web");
        Service web = p.services().get("web");
        assertThat(web.image()).contains("nginx:1.27");
        assertThat(web.build()).isEmpty();
        assertThat(web.pullPolicy()).contains("missing");
        assertThat(web.platform()).contains("linux/amd64");
        assertThat(web.command()).contains(List.of("nginx", "-g", "daemon off;"));
        assertThat(web.entrypoint()).contains(List.of());
        assertThat(web.workingDir()).contains("/srv");
        assertThat(web.user()).contains("101:101");
        assertThat(web.environment()).containsExactly(
                java.util.Map.entry("A", Optional.of("1")), java.util.Map.entry("B", Optional.of("2")), java.util.Map.entry("UNSET", Optional.empty()));
        assertThat(web.labels().keySet()).containsExactly("a.label", "z.label");
        assertThat(web.ports()).containsExactly(
                new Port(80, Optional.of("8080"), Optional.of("127.0.0.1"), "tcp", "ingress", Optional.empty(), Optional.empty()),
                new Port(443, Optional.empty(), Optional.empty(), "udp", "ingress", Optional.empty(), Optional.empty()));
        assertThat(web.expose()).containsExactly("9000");
        assertThat(web.volumes()).hasSize(3);
        Mount data = web.volumes().get(0);
        assertThat(data.type()).isEqualTo(Mount.Type.VOLUME);
        assertThat(data.source()).contains("data");
        assertThat(data.volumeNocopy()).isTrue();
        Mount conf = web.volumes().get(1);
        assertThat(conf.type()).isEqualTo(Mount.Type.BIND);
        assertThat(conf.readOnly()).isTrue();
        assertThat(conf.bindCreateHostPath()).isTrue();
        assertThat(conf.bindSelinux()).contains("z");
        Mount cache = web.volumes().get(2);
        assertThat(cache.type()).isEqualTo(Mount.Type.TMPFS);
        assertThat(cache.source()).isEmpty();
        assertThat(cache.tmpfsSize()).contains(64L * 1024 * 1024);
        assertThat(cache.tmpfsMode()).contains(1777);
        assertThat(web.networks().keySet()).containsExactly("back", "front");
        assertThat(web.networks().get("front").aliases()).containsExactly("www", "shop");
        assertThat(web.networks().get("front").ipv4Address()).contains("172.20.0.5");
        assertThat(web.networks().get("front").priority()).isEqualTo(10);
        assertThat(web.networks().get("back").aliases()).isEmpty();
        assertThat(web.dependsOn().keySet()).containsExactly("cache", "db");
        assertThat(web.dependsOn().get("db")).isEqualTo(new Dependency(Dependency.Condition.SERVICE_HEALTHY, true, true));
        assertThat(web.dependsOn().get("cache")).isEqualTo(new Dependency(Dependency.Condition.SERVICE_STARTED, false, false));
        assertThat(web.healthcheck()).contains(new Healthcheck(List.of("CMD-SHELL", "curl -f http://localhost/ || exit 1"),
                Optional.of(Duration.ofSeconds(90)), Optional.of(Duration.ofMillis(500)), Optional.of(3),
                Optional.of(Duration.ofSeconds(10)), Optional.of(Duration.ofSeconds(2)), false));
        assertThat(web.restart()).isEqualTo(new Restart(Restart.Policy.ON_FAILURE, 5));
        assertThat(web.scale()).isEqualTo(2);
        assertThat(web.limits().cpus()).contains(0.5);
        assertThat(web.limits().memoryBytes()).contains(512L * 1024 * 1024);
        assertThat(web.limits().pids()).contains(100L);
        assertThat(web.reservations().memoryBytes()).contains(1024L * 1024 * 1024);
        assertThat(web.hostname()).contains("web");
        assertThat(web.domainname()).contains("example.test");
        assertThat(web.dns()).containsExactly("1.1.1.1");
        assertThat(web.dnsSearch()).containsExactly("example.test");
        assertThat(web.extraHosts()).containsExactly("db.local:10.0.0.2", "gw:10.0.0.1");
        assertThat(web.capAdd()).containsExactly("NET_ADMIN");
        assertThat(web.capDrop()).containsExactly("ALL");
        assertThat(web.privileged()).isFalse();
        assertThat(web.readOnly()).isTrue();
        assertThat(web.init()).contains(true);
        assertThat(web.tmpfs()).containsExactly("/run");
        assertThat(web.ulimits()).containsEntry("nproc", new Ulimit(65535, 65535)).containsEntry("nofile", new Ulimit(20000, 40000));
        assertThat(web.sysctls()).containsEntry("net.core.somaxconn", "1024");
        assertThat(web.shmSizeBytes()).contains(128L * 1024 * 1024);
        assertThat(web.stopSignal()).contains("SIGQUIT");
        assertThat(web.stopGracePeriod()).contains(Duration.ofMinutes(1));
        assertThat(web.ipc()).contains("shareable");
        assertThat(web.tty()).isTrue();
        assertThat(web.stdinOpen()).isTrue();
        assertThat(web.attach()).isFalse();
        assertThat(web.tuning().cpuShares()).contains(512L);
        assertThat(web.tuning().cpuset()).contains("0-1");
        assertThat(web.tuning().memSwappiness()).contains(10);
        assertThat(web.tuning().oomKillDisable()).isTrue();
        assertThat(web.tuning().cpuQuota()).isEmpty();
        assertThat(web.logging().orElseThrow().driver()).contains("json-file");
        assertThat(web.logging().orElseThrow().options()).containsEntry("max-size", "10m");
        assertThat(web.secrets()).hasSize(1);
        assertThat(web.secrets().get(0).target()).contains("/run/secrets/api_token");
        assertThat(web.secrets().get(0).mode()).contains(0440);
        assertThat(web.configs().get(0).source()).isEqualTo("site");
        assertThat(web.configs().get(0).target()).isEmpty();
        assertThat(web.postStart()).hasSize(1);
        assertThat(web.postStart().get(0).command()).containsExactly("sh", "-c", "echo started");
        assertThat(web.postStart().get(0).user()).contains("root");
        assertThat(web.preStop().get(0).command()).containsExactly("nginx", "-s", "quit");
        assertThat(web.profiles()).containsExactly("web");
        assertThat(web.extensions()).containsEntry("x-owner", "{\"ids\":[1,2],\"team\":\"shop\"}");

        Service db = p.services().get("db");
        assertThat(db.command()).as("absent: the image's CMD").isEmpty();
        assertThat(db.restart()).isEqualTo(Restart.NO);
        assertThat(db.scale()).isEqualTo(1);
        assertThat(db.healthcheck()).isEmpty();
        assertThat(db.attach()).as("attach defaults to true").isTrue();

        Service cacheSvc = p.services().get("cache");
        assertThat(cacheSvc.image()).isEmpty();
        var build = cacheSvc.build().orElseThrow();
        assertThat(build.context()).isEqualTo("/srv/shop/cache");
        assertThat(build.dockerfile()).contains("Dockerfile.dev");
        assertThat(build.args()).containsEntry("VERSION", Optional.of("7")).containsEntry("FROM_ENV", Optional.empty());
        assertThat(build.target()).contains("prod");
    }

    @Test
    void resources() throws IOException {
        Project p = bind("resources");
        assertThat(p.networks().keySet()).containsExactly("default", "front", "outside");
        assertThat(p.networks().get("default").name()).isEqualTo("shop_default");
        Network front = p.networks().get("front");
        assertThat(front.name()).as("<project>_<key> by default").isEqualTo("shop_front");
        assertThat(front.internal()).isTrue();
        assertThat(front.driver()).contains("bridge");
        assertThat(front.ipam().orElseThrow().config()).hasSize(1);
        assertThat(front.ipam().orElseThrow().config().get(0).subnet()).contains("172.20.0.0/16");
        assertThat(front.ipam().orElseThrow().config().get(0).gateway()).contains("172.20.0.1");
        assertThat(front.labels()).containsEntry("tier", "front");
        assertThat(p.networks().get("outside").external()).isTrue();
        assertThat(p.networks().get("outside").name()).isEqualTo("corp-net");
        assertThat(p.volumes().get("data").name()).isEqualTo("shop_data");
        assertThat(p.volumes().get("shared").external()).isTrue();
        assertThat(p.volumes().get("shared").name()).as("external keeps its key as name").isEqualTo("shared");
        assertThat(p.volumes().get("named").name()).isEqualTo("explicit-name");
        assertThat(p.volumes().get("named").driverOpts()).containsEntry("type", "none");
        assertThat(p.secrets().get("token").file()).contains("/srv/shop/token.txt");
        assertThat(p.secrets().get("from_env").environment()).contains("API_TOKEN");
        assertThat(p.configs().get("site").content()).contains("server {}\n");
        assertThat(p.extensions()).containsEntry("x-top", "{\"a\":[true,null,1.5],\"b\":2}");
    }

    @Test
    void shortFormsThatNeedNoContextAreAccepted() throws IOException {
        Project p = bind("short-forms");
        Service app = p.services().get("app");
        assertThat(app.build().orElseThrow().context()).isEqualTo("/srv/app");
        assertThat(app.command()).contains(List.of("sh", "-c", "echo \"hello world\"", "second"));
        assertThat(app.environment()).containsEntry("A", Optional.of("1")).containsEntry("B", Optional.empty());
        assertThat(app.labels()).containsEntry("x", "y");
        assertThat(app.dependsOn()).containsEntry("db", new Dependency(Dependency.Condition.SERVICE_STARTED, true, false));
        assertThat(app.networks()).containsOnlyKeys("front");
        assertThat(app.healthcheck().orElseThrow().test()).containsExactly("CMD-SHELL", "curl -f localhost");
        assertThat(app.scale()).isEqualTo(3);
        Service db = p.services().get("db");
        assertThat(db.restart().policy()).isEqualTo(Restart.Policy.UNLESS_STOPPED);
        assertThat(db.healthcheck().orElseThrow().disabled()).isTrue();
    }

    /** {@code error-*} cases: binding fails with the message in {@code error.txt}. */
    @TestFactory
    Stream<DynamicTest> errors() throws IOException {
        return Golden.cases("bind").stream().filter(d -> d.getFileName().toString().startsWith("error-"))
                .map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> {
                    Node tree = new YamlReader().read("compose.yaml", Golden.read(dir.resolve("compose.yaml")));
                    ComposeFileException e = catchThrowableOfType(ComposeFileException.class, () -> new Binder().bind(tree, DIR));
                    assertThat(e).as(dir + " must fail").isNotNull();
                    Golden.assertGolden(dir.resolve("error.txt"), e.getMessage() + "\n");
                }));
    }

    @Test
    void durationsAndBytesUseDockerUnits() {
        assertThat(Units.duration("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
        assertThat(Units.duration("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(Units.duration("0")).isEqualTo(Duration.ZERO);
        assertThat(Units.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Units.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Units.bytes("512m")).isEqualTo(512L << 20);
        assertThat(Units.bytes("1gb")).isEqualTo(1L << 30);
        assertThat(Units.bytes("1.5GiB")).isEqualTo(3L << 29);
        assertThat(Units.bytes("1048576")).isEqualTo(1L << 20);
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Units.duration("10 seconds"))).hasMessageContaining("invalid duration");
        assertThat(Units.duration("1w2d")).as("compose-go reads days and weeks").isEqualTo(Duration.ofDays(9));
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> Units.bytes("lots"))).hasMessageContaining("invalid byte size");
    }
}
