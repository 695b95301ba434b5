package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.engine.image.ImageException;
import org.junit.jupiter.api.Test;

/** The image routes' table: greedy names with slashes and ports vs the fixed paths, and error statuses. */
class ImageRoutesTest {
    private static Routes routes() {
        Routes r = new Routes();
        ImageRoutes.register(r, null, id -> false); // matching never calls the service
        return r;
    }

    private static String route(String method, String path) {
        return routes().match(method, path).map(m -> m.route().template() + " " + m.params()).orElse("404");
    }

    @Test
    void fixedPathsWinOverGreedyNames() {
        assertThat(route("GET", "/images/json")).isEqualTo("/images/json {}");
        assertThat(route("GET", "/images/get")).isEqualTo("/images/get {}");
        assertThat(route("POST", "/images/create")).isEqualTo("/images/create {}");
        assertThat(route("POST", "/images/load")).isEqualTo("/images/load {}");
        assertThat(route("POST", "/images/prune")).isEqualTo("/images/prune {}");
    }

    @Test
    void namesKeepSlashesPortsAndDigests() {
        assertThat(route("GET", "/images/127.0.0.1:5000/team/app:1/json"))
                .isEqualTo("/images/{name:.*}/json {name=127.0.0.1:5000/team/app:1}");
        assertThat(route("GET", "/images/busybox@sha256:abc/get")).isEqualTo("/images/{name:.*}/get {name=busybox@sha256:abc}");
        // An image whose name ends in a route word is still just a name.
        assertThat(route("GET", "/images/team/json/json")).isEqualTo("/images/{name:.*}/json {name=team/json}");
        assertThat(route("GET", "/images/team/get/json")).isEqualTo("/images/{name:.*}/json {name=team/get}");
        assertThat(route("DELETE", "/images/localhost:5000/a/b")).isEqualTo("/images/{name:.*} {name=localhost:5000/a/b}");
        assertThat(route("POST", "/images/localhost:5000/a/b/push")).isEqualTo("/images/{name:.*}/push {name=localhost:5000/a/b}");
        assertThat(route("POST", "/images/a/b/tag")).isEqualTo("/images/{name:.*}/tag {name=a/b}");
        assertThat(route("GET", "/system/df")).isEqualTo("/system/df {}");
    }

    @Test
    void imageFailureKindsMapToDockersStatuses() {
        assertThat(ImageRoutes.status(ImageException.Kind.NOT_FOUND)).isEqualTo(404);
        assertThat(ImageRoutes.status(ImageException.Kind.CONFLICT)).isEqualTo(409);
        assertThat(ImageRoutes.status(ImageException.Kind.INVALID)).isEqualTo(400);
        assertThat(ImageRoutes.status(ImageException.Kind.UNAUTHORIZED)).isEqualTo(401);
        assertThat(ImageRoutes.status(ImageException.Kind.UNAVAILABLE)).isEqualTo(500);
    }

    @Test
    void loginAddressesAsDockerSendsThem() {
        assertThat(AuthRoutes.hostPort("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
        assertThat(AuthRoutes.hostPort("http://127.0.0.1:5000/")).isEqualTo("127.0.0.1:5000");
        assertThat(AuthRoutes.hostPort("https://index.docker.io/v1/")).isEqualTo("docker.io");
        assertThat(AuthRoutes.hostPort("")).isEqualTo("docker.io");
    }
}
