package io.jcompose.project;

import java.util.ArrayList;
import java.util.List;

/** Splits a command string into words like a POSIX shell would (quotes, backslashes), without expanding anything. */
final class ShellWords {
    private ShellWords() {}

    static List<String> split(String text, Location at, String path) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else cur.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < text.length() && "\\\"$`".indexOf(text.charAt(i + 1)) >= 0) cur.append(text.charAt(++i));
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                cur.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(cur.toString());
                cur.setLength(0);
                inWord = false;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new ComposeFileException(at, path, "unterminated " + (quote == '"' ? "double" : "single") + " quote in \"" + text + "\"");
        if (inWord) words.add(cur.toString());
        return words;
    }
}
