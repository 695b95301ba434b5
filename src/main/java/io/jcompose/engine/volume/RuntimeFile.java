package io.jcompose.engine.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A Compose secret or config file a container gets at run time, as the composer sends it to our engine in the
 * container create body (field {@code JcomposeFiles}, a list of these). Exactly one source is set:
 * <pre>
 *   {"Kind":"secret","Name":"db_pw","Content":"aHVudGVyMg=="}                        → /run/secrets/db_pw, 0444, 0:0
 *   {"Kind":"config","Name":"nginx","Target":"/etc/nginx/nginx.conf","File":"/abs/nginx.conf","Mode":420}
 *   {"Kind":"secret","Name":"token","Env":"API_TOKEN","UID":"1000","GID":"1000","Mode":256}
 * </pre>
 *
 * @param kind    "secret" or "config"
 * @param target  absolute, or relative to /run/secrets (secrets) or / (configs); empty: /run/secrets/NAME or /NAME
 * @param uid     numeric, as Compose's uid/gid strings; empty: "0"
 * @param mode    permission bits; null: 0444 (Compose's default)
 * @param file    an absolute host path, read when the container is created (a copy is mounted, so uid/gid/mode
 *                apply without touching the host file)
 * @param env     a variable name, looked up in the environment the caller passes (the composer normally
 *                resolves it and sends {@code Content} instead: the engine does not see the composer's env)
 * @param content base64 bytes (Compose's inline {@code content})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuntimeFile(@JsonProperty("Kind") String kind, @JsonProperty("Name") String name,
                          @JsonProperty("Target") String target, @JsonProperty("UID") String uid,
                          @JsonProperty("GID") String gid, @JsonProperty("Mode") Integer mode,
                          @JsonProperty("File") String file, @JsonProperty("Env") String env,
                          @JsonProperty("Content") byte[] content) {
    public RuntimeFile {
        if (!"secret".equals(kind) && !"config".equals(kind)) {
            throw VolumeException.invalid("JcomposeFiles: Kind must be \"secret\" or \"config\", got " + (kind == null ? "nothing" : "\"" + kind + "\""));
        }
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw VolumeException.invalid("JcomposeFiles: " + kind + " name \"" + name + "\" must match [A-Za-z0-9][A-Za-z0-9_.-]*");
        }
        int sources = (file == null ? 0 : 1) + (env == null ? 0 : 1) + (content == null ? 0 : 1);
        if (sources != 1) throw VolumeException.invalid("JcomposeFiles: " + kind + " " + name + " needs exactly one of File, Env, Content (got " + sources + ")");
        if (file != null && !file.startsWith("/")) throw VolumeException.invalid("JcomposeFiles: " + kind + " " + name + ": File must be an absolute path, got " + file);
        target = target == null ? "" : target;
        uid = uid == null || uid.isEmpty() ? "0" : uid;
        gid = gid == null || gid.isEmpty() ? "0" : gid;
        if (!uid.matches("\\d{1,9}") || !gid.matches("\\d{1,9}")) {
            throw VolumeException.invalid("JcomposeFiles: " + kind + " " + name + ": uid/gid must be numeric, got " + uid + ":" + gid);
        }
        if (mode != null && (mode < 0 || mode > 07777)) throw VolumeException.invalid("JcomposeFiles: " + kind + " " + name + ": mode " + mode + " out of range");
        content = content == null ? null : content.clone();
    }

    /** Where the file appears in the container. */
    public String destination() {
        String base = kind.equals("secret") ? "/run/secrets/" : "/";
        String t = target.isEmpty() ? name : target;
        return MountParser.clean(t.startsWith("/") ? t : base + t);
    }

    public int modeBits() {
        return mode == null ? 0444 : mode;
    }
}
