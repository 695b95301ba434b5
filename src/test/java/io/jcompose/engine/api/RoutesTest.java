package io.jcompose.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutesTest {
    static final Handler A = (q, r) -> {};
    static final Handler B = (q, r) -> {};
    static final Handler C = (q, r) -> {};

    @Test
    void segmentParametersAreDecodedPerName() {
        Routes routes = new Routes().get("/containers/{id}/json", A);
        var m = routes.match("GET", "/containers/abc123/json").orElseThrow();
        assertThat(m.route().handler()).isSameAs(A);
        assertThat(m.params()).containsExactly(java.util.Map.entry("id", "abc123"));
        assertThat(routes.match("GET", "/containers/a/b/json")).isEmpty();
        assertThat(routes.match("GET", "/containers//json")).isEmpty();
        assertThat(routes.match("POST", "/containers/abc/json")).isEmpty();
    }

    @Test
    void greedyParameterTakesSlashesAndColons() {
        Routes routes = new Routes().get("/images/{name:.*}/json", A).post("/images/{name:.*}/tag", B);
        var m = routes.match("GET", "/images/localhost:5000/team/app:1.2/json").orElseThrow();
        assertThat(m.params().get("name")).isEqualTo("localhost:5000/team/app:1.2");
        assertThat(routes.match("POST", "/images/busybox/tag").orElseThrow().route().handler()).isSameAs(B);
    }

    @Test
    void moreSpecificRouteWinsWhateverTheRegistrationOrder() {
        Routes one = new Routes().get("/images/{name:.*}", A).get("/images/{name}/history", B).get("/images/search", C);
        Routes two = new Routes().get("/images/search", C).get("/images/{name}/history", B).get("/images/{name:.*}", A);
        for (Routes r : new Routes[] {one, two}) {
            assertThat(r.match("GET", "/images/search").orElseThrow().route().handler()).isSameAs(C);
            assertThat(r.match("GET", "/images/busybox/history").orElseThrow().route().handler()).isSameAs(B);
            assertThat(r.match("GET", "/images/a/b/c").orElseThrow().route().handler()).isSameAs(A);
        }
    }

    @Test
    void headFallsBackToGetUnlessRegistered() {
        Routes routes = new Routes().get("/_ping", A).get("/x", B).head("/x", C);
        var ping = routes.match("HEAD", "/_ping").orElseThrow();
        assertThat(ping.route().handler()).isSameAs(A);
        assertThat(ping.headViaGet()).isTrue();
        assertThat(routes.match("HEAD", "/x").orElseThrow().route().handler()).isSameAs(C);
    }

    @Test
    void rejectsDuplicatesAndUnsupportedTemplates() {
        Routes routes = new Routes().get("/a/{id}", A);
        assertThatThrownBy(() -> routes.get("/a/{id}", B)).hasMessageContaining("already registered");
        assertThatThrownBy(() -> routes.get("/b/{id:[0-9]+}", B)).hasMessageContaining("only {name}");
        assertThatThrownBy(() -> routes.get("/c/{x}/{x}", B)).hasMessageContaining("repeats");
        assertThatThrownBy(() -> routes.get("nope", B)).hasMessageContaining("start with /");
        routes.post("/a/{id}", B); // another method on the same template is fine
        assertThat(routes.describe()).containsExactly("GET /a/{id}", "POST /a/{id}");
    }

    @Test
    void literalPartsAreNotRegex() {
        Routes routes = new Routes().get("/a.b/{id}", A);
        assertThat(routes.match("GET", "/a.b/1")).isPresent();
        assertThat(routes.match("GET", "/aXb/1")).isEmpty();
    }

    @Test
    void versionPrefixSplitsAndChecksRange() {
        var p = ApiVersion.splitPrefix("/v1.38/containers/json").orElseThrow();
        assertThat(p.version()).isEqualTo(new ApiVersion(1, 38));
        assertThat(p.rest()).isEqualTo("/containers/json");
        assertThat(ApiVersion.splitPrefix("/version")).isEmpty();
        assertThat(ApiVersion.splitPrefix("/v1/info")).isEmpty();
        assertThat(new ApiVersion(1, 24).checkSupported()).isEmpty();
        assertThat(new ApiVersion(1, 41).checkSupported()).isEmpty();
        assertThat(new ApiVersion(1, 23).checkSupported().orElseThrow().getMessage()).isEqualTo(
                "client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version");
        ApiException tooNew = new ApiVersion(1, 42).checkSupported().orElseThrow();
        assertThat(tooNew.status()).isEqualTo(400);
        assertThat(tooNew.getMessage()).isEqualTo("client version 1.42 is too new. Maximum supported API version is 1.41");
    }

    @Test
    void targetDecodesPathAndQueryLikeGo() {
        Target t = Target.parse("/images/localhost%3A5000%2Fapp/json?filters=%7B%22a%22%3A1%7D&all=1&all=0&q=a+b");
        assertThat(t.path()).isEqualTo("/images/localhost:5000/app/json");
        assertThat(t.query().get("filters")).containsExactly("{\"a\":1}");
        assertThat(t.query().get("all")).containsExactly("1", "0");
        assertThat(t.query().get("q")).containsExactly("a b");
        assertThat(Target.parse("http://docker/v1.41/info").path()).isEqualTo("/v1.41/info");
        assertThatThrownBy(() -> Target.parse("/a%zz")).isInstanceOf(ApiException.class);
    }
}
