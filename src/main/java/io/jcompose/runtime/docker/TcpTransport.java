package io.jcompose.runtime.docker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** TCP transport, with TLS when an SSLContext is given (DOCKER_TLS_VERIFY). */
final class TcpTransport implements Transport {
    private final String host;
    private final int port;
    private final SSLContext tls;

    TcpTransport(String host, int port, SSLContext tls) {
        this.host = host;
        this.port = port;
        this.tls = tls;
    }

    @Override
    public Connection open() throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        try {
            plain.connect(new InetSocketAddress(host, port), 10_000);
            Socket s = plain;
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
                var params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                ssl.startHandshake();
                s = ssl;
            }
            Socket sock = s;
            Connection.HalfCloser half = tls == null ? sock::shutdownOutput : () -> { /* TLS cannot half-close */ };
            return new Connection(sock.getInputStream(), sock.getOutputStream(), sock, half);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public String describe() {
        return (tls == null ? "tcp://" : "tcp+tls://") + host + ":" + port;
    }
}
