package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic (htpasswd) and Bearer (token server) auth against real registries, with credentials as Docker passes them. */
@Tag("integration")
class AuthIntegrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void basicAuth() throws IOException {
        try (RegistryTestSupport reg = RegistryTestSupport.start(tmp.resolve("reg"), new RegistryTestSupport.Basic("alice", "s3cret"))) {
            ImageReference r = ImageReference.parse(reg.hostPort() + "/private/app:1");
            TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("p", "private")));
            RegistryClient c = new RegistryClient(RegistryConfig.defaults());
            assertThatThrownBy(() -> img.push(c, r, RegistryAuth.NONE, tmp))
                    .isInstanceOf(ImageException.class).hasMessageContaining("requires authentication");
            // As `docker push` sends it: base64url JSON in X-Registry-Auth.
            String header = Base64.getUrlEncoder().encodeToString(
                    ("{\"username\":\"alice\",\"password\":\"s3cret\",\"serveraddress\":\"" + reg.hostPort() + "\"}").getBytes(StandardCharsets.UTF_8));
            RegistryAuth auth = RegistryAuth.fromHeader(header);
            img.push(c, r, auth, tmp);
            try (ImageService s = new ImageService(tmp.resolve("engine"), new RegistryClient(RegistryConfig.defaults()), p -> false)) {
                assertThatThrownBy(() -> s.pull(r.toString(), RegistryAuth.NONE, Optional.empty(), m -> {}))
                        .isInstanceOf(ImageException.class)
                        .satisfies(e -> assertThat(((ImageException) e).kind()).isEqualTo(ImageException.Kind.UNAUTHORIZED));
                assertThatThrownBy(() -> s.pull(r.toString(), RegistryAuth.basic("alice", "wrong"), Optional.empty(), m -> {}))
                        .isInstanceOf(ImageException.class).hasMessageContaining("HTTP 401");
                // The legacy "auth" field (base64 user:pass) works too.
                String legacy = Base64.getUrlEncoder().encodeToString(("{\"auth\":\"" + Base64.getEncoder().encodeToString("alice:s3cret".getBytes()) + "\"}").getBytes());
                assertThat(s.pull(r.toString(), RegistryAuth.fromHeader(legacy), Optional.empty(), m -> {}).id()).isEqualTo(img.configDigest().toString());
            }
        }
    }

    @Test
    void bearerTokenAuthWithPerScopeCache() throws Exception {
        Infra.require(Infra.onPath("keytool"), "keytool");
        Path ks = tmp.resolve("ks.p12");
        Path cert = tmp.resolve("cert.pem");
        RegistryTestSupport.run(tmp, List.of("keytool", "-genkeypair", "-alias", "tok", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=jcompose-test-token", "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit", "-keypass", "changeit"));
        RegistryTestSupport.run(tmp, List.of("keytool", "-exportcert", "-rfc", "-alias", "tok", "-keystore", ks.toString(),
                "-storepass", "changeit", "-file", cert.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("tok", "changeit".toCharArray());
        PublicKey pub = store.getCertificate("tok").getPublicKey();

        AtomicInteger issued = new AtomicInteger();
        List<String> scopes = java.util.Collections.synchronizedList(new ArrayList<>());
        HttpServer tokens = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokens.createContext("/token", ex -> {
            String authz = ex.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString("bob:pw".getBytes());
            Map<String, String> q;
            if (ex.getRequestMethod().equals("POST")) {
                // OAuth2 refresh-token grant: what an identity token from `docker login` is exchanged with.
                q = query(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                if (!"refresh_token".equals(q.get("grant_type")) || !"bobs-refresh-token".equals(q.get("refresh_token"))) {
                    ex.sendResponseHeaders(401, -1);
                    ex.close();
                    return;
                }
            } else if (!expected.equals(authz)) {
                ex.sendResponseHeaders(401, -1);
                ex.close();
                return;
            } else {
                q = query(ex.getRequestURI().getRawQuery());
            }
            scopes.add(q.get("scope"));
            issued.incrementAndGet();
            byte[] body = JSON.writeValueAsBytes(Map.of("token", jwt(key, pub, q.get("service"), q.get("scope")), "expires_in", 300));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tokens.start();
        try (RegistryTestSupport reg = RegistryTestSupport.start(tmp.resolve("reg"), new RegistryTestSupport.Token(
                "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token", "test-registry", "test-issuer", cert))) {
            ImageReference r = ImageReference.parse(reg.hostPort() + "/tok/app:1");
            TestImage img = TestImage.build(true, "amd64", List.of(TestImage.layer("t1", "one"), TestImage.layer("t2", "two")));
            RegistryClient c = new RegistryClient(RegistryConfig.defaults());
            RegistryAuth bob = RegistryAuth.basic("bob", "pw");
            assertThatThrownBy(() -> img.push(c, r, RegistryAuth.basic("bob", "nope"), tmp))
                    .isInstanceOf(ImageException.class).hasMessageContaining("refused the credentials");
            int before = issued.get();
            img.push(c, r, bob, tmp);
            int afterPush = issued.get();
            try (ImageService s = new ImageService(tmp.resolve("engine"), c, p -> false)) {
                assertThat(s.pull(r.toString(), bob, Optional.empty(), m -> {}).id()).isEqualTo(img.configDigest().toString());
            }
            // One token per scope: push (pull,push) and pull, not one per request (the push alone made 7 requests).
            assertThat(afterPush - before).isEqualTo(1);
            assertThat(issued.get() - afterPush).isEqualTo(1);
            assertThat(scopes).contains("repository:tok/app:pull,push", "repository:tok/app:pull");
            RegistryAuth identity = RegistryAuth.fromHeader(Base64.getUrlEncoder().encodeToString(
                    "{\"identitytoken\":\"bobs-refresh-token\"}".getBytes(StandardCharsets.UTF_8)));
            try (ImageService s = new ImageService(tmp.resolve("engine2"), new RegistryClient(RegistryConfig.defaults()), p -> false)) {
                assertThat(s.pull(r.toString(), identity, Optional.empty(), m -> {}).id()).isEqualTo(img.configDigest().toString());
            }
        } finally {
            tokens.stop(0);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : raw == null ? new String[0] : raw.split("&")) {
            int i = kv.indexOf('=');
            m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** An RS256 JWT as distribution's token auth expects; "kid" is libtrust's key ID of the signing key. */
    private static String jwt(PrivateKey key, PublicKey pub, String service, String scope) {
        try {
            ObjectNode h = JsonNodeFactory.instance.objectNode().put("typ", "JWT").put("alg", "RS256").put("kid", libtrustKeyId(pub));
            String[] s = scope.split(":");
            ObjectNode c = JsonNodeFactory.instance.objectNode();
            long now = Instant.now().getEpochSecond();
            c.put("iss", "test-issuer").put("sub", "bob").put("aud", service).put("exp", now + 300).put("nbf", now - 10)
                    .put("iat", now).put("jti", Long.toString(System.nanoTime()));
            var acts = c.putArray("access").addObject().put("type", s[0]).put("name", s[1]).putArray("actions");
            for (String a : s[2].split(",")) acts.add(a);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signing = b64.encodeToString(JSON.writeValueAsBytes(h)) + "." + b64.encodeToString(JSON.writeValueAsBytes(c));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(key);
            sig.update(signing.getBytes(StandardCharsets.US_ASCII));
            return signing + "." + b64.encodeToString(sig.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** libtrust: base32 of the first 240 bits of sha256(SubjectPublicKeyInfo DER), in 4-character groups joined by ':'. */
    static String libtrustKeyId(PublicKey pub) throws Exception {
        byte[] h = java.util.Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(pub.getEncoded()), 30);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder b = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte x : h) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                b.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < b.length(); i += 4) groups.add(b.substring(i, i + 4));
        return String.join(":", groups);
    }
}
