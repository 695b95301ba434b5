package io.jcompose.project;

import java.util.ArrayList;
import java.util.List;

/**
 * A path in the Compose model ({@code services.web.ports}), kept as segments because keys may contain dots
 * (service names, labels). Printed dotted, as errors show it; matched against rule patterns where {@code *}
 * stands for one segment.
 */
record SpecPath(List<String> segments) {
    static final SpecPath ROOT = new SpecPath(List.of());

    SpecPath {
        segments = List.copyOf(segments);
    }

    SpecPath child(String key) {
        List<String> s = new ArrayList<>(segments);
        s.add(key);
        return new SpecPath(s);
    }

    SpecPath index(int i) {
        return child("[" + i + "]");
    }

    boolean matches(String pattern) {
        String[] p = pattern.split("\\.");
        if (p.length != segments.size()) return false;
        for (int i = 0; i < p.length; i++) {
            if (!p[i].equals("*") && !p[i].equals(segments.get(i))) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            if (sb.length() > 0 && !s.startsWith("[")) sb.append('.');
            sb.append(s);
        }
        return sb.toString();
    }
}
