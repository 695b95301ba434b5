package io.jcompose.engine.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One line of Docker's JSON progress stream (pull, push, load), serialised by Jackson exactly as dockerd writes it:
 * <pre>
 * {"status":"Pulling from library/busybox","id":"latest"}
 * {"status":"Pulling fs layer","progressDetail":{},"id":"a3ed95caeb02"}
 * {"status":"Downloading","progressDetail":{"current":32768,"total":772788},"id":"a3ed95caeb02"}
 * {"status":"Pull complete","progressDetail":{},"id":"a3ed95caeb02"}
 * {"status":"Digest: sha256:…"}
 * {"status":"Status: Downloaded newer image for busybox:latest"}
 * {"errorDetail":{"message":"…"},"error":"…"}
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"status", "progressDetail", "progress", "id", "aux", "stream", "errorDetail", "error"})
public record ProgressMessage(String status, Detail progressDetail, String progress, String id, Map<String, Object> aux,
                              String stream, ErrorDetail errorDetail, String error) {

    /** {@code {}} when both are null (Docker sends an empty object for phase changes). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Detail(Long current, Long total) {
        static final Detail EMPTY = new Detail(null, null);
    }

    public record ErrorDetail(@JsonProperty("message") String message) {}

    public static ProgressMessage status(String status) {
        return new ProgressMessage(status, null, null, null, null, null, null, null);
    }

    public static ProgressMessage status(String status, String id) {
        return new ProgressMessage(status, null, null, id, null, null, null, null);
    }

    public static ProgressMessage phase(String status, String id) {
        return new ProgressMessage(status, Detail.EMPTY, null, id, null, null, null, null);
    }

    public static ProgressMessage progress(String status, String id, long current, long total) {
        return new ProgressMessage(status, new Detail(current, total), bar(current, total), id, null, null, null, null);
    }

    /**
     * dockerd's server-side progress text (jsonmessage.JSONProgress.String at its default width, no time left):
     * {@code [=====>      ]  1.049MB/3.002MB}.
     */
    static String bar(long current, long total) {
        if (current <= 0 && total <= 0) return null;
        if (total <= 0) return String.format("%8s", humanSize(current));
        int pct = (int) ((double) current / total * 100) / 2;
        if (pct > 50) pct = 50;
        return "[" + "=".repeat(pct) + ">" + " ".repeat(Math.max(0, 50 - pct)) + "] "
                + String.format("%8s", humanSize(current)) + "/" + humanSize(total);
    }

    /** go-units HumanSize: decimal units, 4 significant digits, Go's %g (no trailing zeros). */
    static String humanSize(double size) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        int i = 0;
        while (size >= 1000 && i < units.length - 1) {
            size /= 1000;
            i++;
        }
        java.math.BigDecimal d = new java.math.BigDecimal(size).round(new java.math.MathContext(4, java.math.RoundingMode.HALF_EVEN));
        return d.stripTrailingZeros().toPlainString() + units[i];
    }

    public static ProgressMessage aux(Map<String, Object> aux) {
        return new ProgressMessage(null, Detail.EMPTY, null, null, aux, null, null, null);
    }

    public static ProgressMessage stream(String text) {
        return new ProgressMessage(null, null, null, null, null, text, null, null);
    }

    public static ProgressMessage error(String message) {
        return new ProgressMessage(null, null, null, null, null, null, new ErrorDetail(message), message);
    }
}
