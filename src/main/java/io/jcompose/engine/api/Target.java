package io.jcompose.engine.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A request target split and decoded: the path (percent-decoded) and the query (also {@code +} → space, as Go). */
record Target(String path, Map<String, List<String>> query) {

    static Target parse(String raw) {
        String t = raw;
        // Absolute form (a proxy-style "http://host/path"): keep the path.
        int scheme = t.indexOf("://");
        if (scheme > 0 && t.indexOf('/') > scheme) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int hash = t.indexOf('#');
        if (hash >= 0) t = t.substring(0, hash);
        int q = t.indexOf('?');
        String path = decode(q < 0 ? t : t.substring(0, q), false);
        if (!path.startsWith("/")) throw ApiException.invalid("request target must start with /: " + raw);
        Map<String, List<String>> query = new TreeMap<>();
        if (q >= 0) {
            for (String pair : t.substring(q + 1).split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new Target(path, query);
    }

    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) throw ApiException.invalid("invalid URL escape \"" + s.substring(i) + "\"");
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw ApiException.invalid("invalid URL escape \"" + s.substring(i, i + 3) + "\"");
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
