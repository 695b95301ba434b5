package io.jcompose.engine.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Writes progress as dockerd does: one JSON object per message, each followed by CRLF, flushed at once. */
public final class JsonProgress implements ProgressSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final OutputStream out;

    public JsonProgress(OutputStream out) {
        this.out = out;
    }

    @Override public void stream(String text) {
        ObjectNode o = JSON.createObjectNode();
        o.put("stream", text);
        write(o);
    }

    @Override public void aux(String imageId) {
        ObjectNode o = JSON.createObjectNode();
        o.putObject("aux").put("ID", imageId);
        write(o);
    }

    @Override public void error(String message) {
        error(message, 0);
    }

    @Override public void error(String message, int code) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode d = o.putObject("errorDetail");
        if (code != 0) d.put("code", code);
        d.put("message", message);
        o.put("error", message);
        write(o);
    }

    private synchronized void write(ObjectNode o) {
        try {
            out.write(JSON.writeValueAsBytes(o));
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The client went away: the build cannot report any more; the caller's stream is dead.
            throw new UncheckedIOException("build progress: client connection lost", e);
        }
    }
}
