package io.jcompose.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code docker import --change} instructions applied to an image config: CMD, ENTRYPOINT (JSON or shell form),
 * ENV, LABEL (k=v …), EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, ONBUILD — the set dockerd accepts for import.
 */
public final class ImportChanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImportChanges() {}

    public static void apply(ObjectNode config, List<String> changes) {
        for (String change : changes) {
            String c = change.trim();
            int sp = c.indexOf(' ');
            String op = (sp < 0 ? c : c.substring(0, sp)).toUpperCase(java.util.Locale.ROOT);
            String arg = sp < 0 ? "" : c.substring(sp + 1).trim();
            switch (op) {
                case "CMD" -> config.set("Cmd", command(arg));
                case "ENTRYPOINT" -> config.set("Entrypoint", command(arg));
                case "ENV" -> {
                    ArrayNode env = config.has("Env") && config.get("Env").isArray() ? (ArrayNode) config.get("Env") : config.putArray("Env");
                    for (String kv : pairs(arg, change)) {
                        String key = kv.substring(0, kv.indexOf('='));
                        for (int i = env.size() - 1; i >= 0; i--) if (env.get(i).asText().startsWith(key + "=")) env.remove(i);
                        env.add(kv);
                    }
                }
                case "LABEL" -> {
                    ObjectNode labels = config.has("Labels") && config.get("Labels").isObject() ? (ObjectNode) config.get("Labels") : config.putObject("Labels");
                    for (String kv : pairs(arg, change)) labels.put(kv.substring(0, kv.indexOf('=')), unquote(kv.substring(kv.indexOf('=') + 1)));
                }
                case "EXPOSE" -> {
                    ObjectNode ports = config.has("ExposedPorts") ? (ObjectNode) config.get("ExposedPorts") : config.putObject("ExposedPorts");
                    for (String p : arg.split("\\s+")) if (!p.isEmpty()) ports.putObject(p.contains("/") ? p : p + "/tcp");
                }
                case "VOLUME" -> {
                    ObjectNode vols = config.has("Volumes") ? (ObjectNode) config.get("Volumes") : config.putObject("Volumes");
                    JsonNode list = arg.startsWith("[") ? parse(arg, change) : null;
                    if (list != null) list.forEach(v -> vols.putObject(v.asText()));
                    else for (String v : arg.split("\\s+")) if (!v.isEmpty()) vols.putObject(v);
                }
                case "USER" -> config.put("User", arg);
                case "WORKDIR" -> config.put("WorkingDir", arg);
                case "STOPSIGNAL" -> config.put("StopSignal", arg);
                case "ONBUILD" -> (config.has("OnBuild") && config.get("OnBuild").isArray() ? (ArrayNode) config.get("OnBuild") : config.putArray("OnBuild")).add(arg);
                default -> throw new ImageException(ImageException.Kind.INVALID, "import --change \"" + change
                        + "\": " + op + " is not allowed (allowed: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)");
            }
        }
    }

    /** JSON form as is; shell form wrapped in {@code /bin/sh -c}, as Dockerfiles do. */
    private static JsonNode command(String arg) {
        if (arg.startsWith("[")) {
            JsonNode n = parse(arg, arg);
            if (n.isArray()) return n;
        }
        return JSON.valueToTree(List.of("/bin/sh", "-c", arg));
    }

    private static List<String> pairs(String arg, String change) {
        if (!arg.contains("=")) {
            int sp = arg.indexOf(' ');
            if (sp < 0) throw new ImageException(ImageException.Kind.INVALID, "import --change \"" + change + "\": expected KEY=VALUE or KEY VALUE");
            return List.of(arg.substring(0, sp) + "=" + arg.substring(sp + 1).trim());
        }
        return List.of(arg.split("\\s+(?=[^\\s=]+=)"));
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static JsonNode parse(String s, String change) {
        try {
            return JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new ImageException(ImageException.Kind.INVALID, "import --change \"" + change + "\": invalid JSON array");
        }
    }
}
