package io.jcompose.runtime.docker;

import java.io.IOException;

/** Opens byte connections to one engine endpoint (unix socket, TCP, TLS). */
interface Transport {
    Connection open() throws IOException;

    /** The endpoint, for messages: {@code unix:///var/run/docker.sock}. */
    String describe();
}
