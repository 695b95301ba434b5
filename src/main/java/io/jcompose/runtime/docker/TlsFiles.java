package io.jcompose.runtime.docker;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Builds an SSLContext from Docker's TLS files (ca.pem, cert.pem, key.pem) with the JDK alone. Keys may be
 * PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); the last two
 * are wrapped into PKCS#8 by hand because the JDK's KeyFactory only reads PKCS#8.
 */
final class TlsFiles {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)-----END \\1-----");
    private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private TlsFiles() {}

    static SSLContext context(Optional<Path> dir, boolean verify) throws IOException, GeneralSecurityException {
        Path d = dir.orElseThrow(() -> new IOException("no certificate directory"));
        KeyManagerFactory kmf = null;
        Path cert = d.resolve("cert.pem");
        Path key = d.resolve("key.pem");
        if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            Collection<? extends Certificate> chain = certificates(Files.readString(cert));
            ks.setKeyEntry("client", privateKey(Files.readString(key)), new char[0], chain.toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
        }
        TrustManager[] trust;
        if (verify) {
            Path ca = d.resolve("ca.pem");
            if (!Files.isRegularFile(ca)) throw new IOException(ca + " is missing (needed by DOCKER_TLS_VERIFY)");
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (Certificate c : certificates(Files.readString(ca))) ts.setCertificateEntry("ca" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            trust = tmf.getTrustManagers();
        } else {
            // TLS without verification, as the Docker CLI does for a context with SkipTLSVerify.
            trust = new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
                @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }};
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, null);
        return ctx;
    }

    static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Parses the first private key block of a PEM text. */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException, IOException {
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY":
                    return pkcs8(der);
                case "RSA PRIVATE KEY":
                    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                            wrapPkcs8(seq(OID_RSA, new byte[] {0x05, 0x00}), der)));
                case "EC PRIVATE KEY":
                    return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                            wrapPkcs8(seq(OID_EC, ecCurveOid(der)), der)));
                default:
                    // e.g. EC PARAMETERS before the key: skip
            }
        }
        throw new IOException("no private key found (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier, OCTET STRING key } */
    private static byte[] wrapPkcs8(byte[] algorithmId, byte[] key) {
        return seq(new byte[] {0x02, 0x01, 0x00}, algorithmId, tlv(0x04, key));
    }

    /**
     * SEC1 ECPrivateKey ::= SEQUENCE { version, OCTET STRING, [0] parameters (curve OID), [1] public key }:
     * returns the curve OID TLV from [0].
     */
    static byte[] ecCurveOid(byte[] sec1) throws IOException {
        Der outer = new Der(sec1, 0);
        if (outer.tag != 0x30) throw new IOException("EC key is not a DER SEQUENCE");
        int p = outer.contentStart;
        while (p < outer.end) {
            Der el = new Der(sec1, p);
            if (el.tag == 0xa0) {
                Der oid = new Der(sec1, el.contentStart);
                if (oid.tag != 0x06) throw new IOException("EC key parameters are not a named curve");
                byte[] out = new byte[oid.end - p - (el.contentStart - p)];
                System.arraycopy(sec1, el.contentStart, out, 0, out.length);
                return out;
            }
            p = el.end;
        }
        throw new IOException("EC key has no curve parameters");
    }

    /** One DER element: tag, where its content starts and where it ends. */
    private static final class Der {
        final int tag;
        final int contentStart;
        final int end;

        Der(byte[] b, int at) throws IOException {
            if (at + 2 > b.length) throw new IOException("truncated DER");
            tag = b[at] & 0xff;
            int len = b[at + 1] & 0xff;
            int p = at + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n > 3 || p + n > b.length) throw new IOException("bad DER length");
                len = 0;
                for (int i = 0; i < n; i++) len = (len << 8) | (b[p++] & 0xff);
            }
            contentStart = p;
            end = p + len;
            if (end > b.length) throw new IOException("truncated DER");
        }
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] part : parts) content.writeBytes(part);
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
