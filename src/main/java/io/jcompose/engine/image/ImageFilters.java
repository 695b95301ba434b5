package io.jcompose.engine.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code filters} of {@code GET /images/json}: {@code dangling=true|false}, {@code reference=<glob>} (matched
 * as Docker does, against {@code name} and {@code name:tag} in familiar form, {@code *} not crossing {@code /}),
 * {@code label=key} or {@code label=key=value}. Several values of one filter are alternatives; filters combine with AND.
 */
public record ImageFilters(Optional<Boolean> dangling, List<String> reference, List<String> label) {
    public static final ImageFilters NONE = new ImageFilters(Optional.empty(), List.of(), List.of());

    public ImageFilters {
        reference = List.copyOf(reference);
        label = List.copyOf(label);
    }

    /** From the API's decoded {@code filters} JSON; unknown filters are refused, as dockerd does. */
    public static ImageFilters fromDocker(Map<String, List<String>> filters) {
        Optional<Boolean> dangling = Optional.empty();
        List<String> ref = List.of();
        List<String> label = List.of();
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            switch (e.getKey()) {
                case "dangling" -> {
                    for (String v : e.getValue()) {
                        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false") && !v.equals("1") && !v.equals("0")) {
                            throw new ImageException(ImageException.Kind.INVALID, "invalid filter 'dangling=" + v + "': use true or false");
                        }
                        dangling = Optional.of(v.equalsIgnoreCase("true") || v.equals("1"));
                    }
                }
                case "reference" -> ref = e.getValue();
                case "label" -> label = e.getValue();
                default -> throw new ImageException(ImageException.Kind.INVALID, "invalid filter '" + e.getKey() + "' (supported: dangling, reference, label)");
            }
        }
        return new ImageFilters(dangling, ref, label);
    }

    boolean matches(List<String> familiarTags, Map<String, String> labels) {
        if (dangling.isPresent() && dangling.get() != familiarTags.isEmpty()) return false;
        if (!reference.isEmpty()) {
            boolean any = false;
            for (String glob : reference) {
                Pattern p = glob(glob);
                for (String t : familiarTags) {
                    String repo = t.substring(0, t.lastIndexOf(':'));
                    if (p.matcher(t).matches() || p.matcher(repo).matches()) any = true;
                }
            }
            if (!any) return false;
        }
        for (String l : label) {
            int eq = l.indexOf('=');
            String k = eq < 0 ? l : l.substring(0, eq);
            if (labels == null || !labels.containsKey(k)) return false;
            if (eq >= 0 && !l.substring(eq + 1).equals(labels.get(k))) return false;
        }
        return true;
    }

    private static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> b.append("[^/]*");
                case '?' -> b.append("[^/]");
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }
}
