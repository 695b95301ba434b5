package io.jcompose.project;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code command}/{@code entrypoint} string into words the way Compose does (go-shellwords without
 * variable expansion): blanks separate words, single quotes are literal, double quotes allow backslash escapes,
 * a backslash outside quotes escapes the next character. Nothing is expanded; the container sees {@code $HOME}.
 */
final class CommandWords {
    private CommandWords() {}

    /** Throws {@link IllegalArgumentException} for an unterminated quote or a trailing backslash. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else word.append(c);
                continue;
            }
            if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\\') {
                if (i + 1 >= line.length()) throw new IllegalArgumentException("trailing backslash in \"" + line + "\"");
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated " + (quote == '"' ? "double" : "single") + " quote in \"" + line + "\"");
        if (inWord) words.add(word.toString());
        return words;
    }
}
