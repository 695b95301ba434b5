/**
 * The Docker Engine API client: {@link io.jcompose.runtime.docker.DockerRuntime}.
 *
 * <p>Transport is the JDK's own unix-domain {@code SocketChannel} or TCP (+TLS from PEM files), never JNR: this
 * code is on the CLI's start-up path. A small HTTP/1.1 client (keep-alive pool, chunked bodies, streaming
 * responses, {@code Upgrade: tcp} hijack) carries versioned calls ({@code /v1.41} or lower, negotiated with
 * {@code /_ping}). Endpoint and credentials are found as the Docker CLI finds them ({@code DOCKER_HOST},
 * contexts, {@code ~/.docker/config.json} auths and credential helpers).
 */
package io.jcompose.runtime.docker;
