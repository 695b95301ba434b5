package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM parsing with the JDK alone, and a mutual-TLS ping against an in-test server. Keys are made by openssl. */
class TlsFilesTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeKeys() throws Exception {
        DockerTestSupport.assumeInfrastructure(DockerTestSupport.onPath("openssl"), "openssl is not installed");
        sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca-key.pem -out ca.pem -days 1 -subj /CN=test-ca",
           "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server-key.pem -out server.csr -subj /CN=localhost",
           "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > server.ext",
           "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days 1 -extfile server.ext",
           "openssl ecparam -name prime256v1 -genkey -noout -out key.pem",
           "openssl req -new -key key.pem -out client.csr -subj /CN=client",
           "printf 'extendedKeyUsage=clientAuth\\n' > client.ext",
           "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out cert.pem -days 1 -extfile client.ext",
           "openssl genrsa -traditional -out rsa-pkcs1.pem 2048 2>/dev/null || openssl genrsa -out rsa-pkcs1.pem 2048",
           "openssl pkcs8 -topk8 -nocrypt -in key.pem -out ec-pkcs8.pem",
           "openssl pkcs8 -topk8 -nocrypt -in rsa-pkcs1.pem -out rsa-pkcs8.pem");
    }

    @Test
    void readsAllThreeKeyFormats() throws Exception {
        assertThat(Files.readString(dir.resolve("rsa-pkcs1.pem"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("key.pem"))).contains("BEGIN EC PRIVATE KEY");
        assertThat(TlsFiles.privateKey(Files.readString(dir.resolve("rsa-pkcs1.pem"))).getAlgorithm()).isEqualTo("RSA");
        assertThat(TlsFiles.privateKey(Files.readString(dir.resolve("rsa-pkcs8.pem"))).getAlgorithm()).isEqualTo("RSA");
        assertThat(Files.readString(dir.resolve("rsa-pkcs8.pem"))).contains("BEGIN PRIVATE KEY");
        PrivateKey sec1 = TlsFiles.privateKey(Files.readString(dir.resolve("key.pem")));
        PrivateKey pkcs8 = TlsFiles.privateKey(Files.readString(dir.resolve("ec-pkcs8.pem")));
        assertThat(sec1.getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPrivateKey) sec1).getS())
                .isEqualTo(((java.security.interfaces.ECPrivateKey) pkcs8).getS());
    }

    @Test
    void mutualTlsPing() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", TlsFiles.privateKey(Files.readString(dir.resolve("server-key.pem"))), new char[0],
                TlsFiles.certificates(Files.readString(dir.resolve("server.pem"))).toArray(new Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", TlsFiles.certificates(Files.readString(dir.resolve("ca.pem"))).iterator().next());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            Thread t = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    while (!HttpWire.readLine(in).isEmpty()) { /* request head */ }
                    String peer = s.getSession().getPeerPrincipal().getName();
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nAPI-Version: 1.41\r\nX-Peer: " + peer
                            + "\r\nContent-Length: 2\r\n\r\nOK").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException ignored) {
                    // the assertion below reports it
                }
            });
            t.setDaemon(true);
            t.start();
            DockerEndpoint endpoint = new DockerEndpoint("tcp://localhost:" + server.getLocalPort(), Optional.of(dir),
                    true, "test");
            try (DockerRuntime rt = DockerRuntime.forTest(endpoint.transport(),
                    new RegistryCredentials(MissingNode.getInstance(), (h, s) -> Optional.empty()), null)) {
                assertThat(rt.system().ping()).isEqualTo("1.41");
            }
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private static void sh(String... commands) throws Exception {
        for (String c : commands) {
            Process p = new ProcessBuilder("bash", "-ec", c).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException(c + " failed: " + out);
        }
    }
}
