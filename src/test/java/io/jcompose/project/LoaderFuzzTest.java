package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing: random small mutations of corpus files (delete a line, duplicate a line, change a line's
 * indentation, replace a scalar with junk). Each mutant must load or fail with a located user error within the time
 * limit — never another exception, a hang, or a stack overflow — and at least a quarter must still load.
 *
 * <p>Reproduce with {@code -Djcompose.fuzz.seed=N} (printed on every run and in every failure);
 * {@code -Djcompose.fuzz.cases=N} sets the count; {@code -Djcompose.corpus.standin=true} fuzzes only the input
 * stages (see {@link CorpusLoadTest}).
 */
@Tag("corpus")
class LoaderFuzzTest {
    static final Duration LIMIT = Duration.ofSeconds(5);
    static final String[] JUNK = {"", "~", "[", "]", "{", "}", "&a", "*a", "!!binary", "${", "$${X}", "${X:?boom}", "- -",
        ": :", "'", "\"", "|", ">", "%TAG", "0x", "1e999", "-1", "99999999999999999999", "\t", "<<: *nope", "!reset", "!override",
        "yes", "null", "true", "a: b: c", "\u0000", "\uFEFF", "? x", "@", "`", "#"};

    record Mutant(String file, String mutation, String text) {}

    @Test
    void mutantsLoadOrFailWithALocatedError() throws IOException {
        fuzz(CorpusLoadTest::loader, Integer.getInteger("jcompose.fuzz.cases", 1000));
    }

    /** Runs {@code cases} mutants through loaders from {@code loaders}; the seed is printed and in every message. */
    static void fuzz(java.util.function.Supplier<ProjectLoader> loaders, int cases) throws IOException {
        long seed = Long.getLong("jcompose.fuzz.seed", System.nanoTime());
        System.out.println("LoaderFuzzTest seed=" + seed + " cases=" + cases);
        Random random = new Random(seed);
        List<String> files = CorpusFiles.all();
        int loaded = 0;
        for (int i = 0; i < cases; i++) {
            String rel = files.get(random.nextInt(files.size()));
            Path file = Corpus.root().resolve(rel);
            Mutant m = mutate(rel, Files.readString(file), random);
            String context = "seed=" + seed + " case=" + i + " " + m.file() + " (" + m.mutation() + ")";
            boolean ok = assertTimeoutPreemptively(LIMIT, () -> {
                try {
                    loaders.get().load(CorpusFiles.stdinOptions(file, m.text(), "fuzz", true));
                    return true;
                } catch (ComposeFileException | ComposeFileNotFoundException e) {
                    assertThat(e.getMessage()).as(context).isNotBlank().doesNotContain("\n");
                    return false;
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError(context + ": unexpected " + e + "\n--- mutant ---\n" + m.text(), e);
                }
            }, () -> context + ": took longer than " + LIMIT);
            if (ok) loaded++;
        }
        System.out.println("LoaderFuzzTest loaded " + loaded + "/" + cases);
        assertThat(loaded * 4).as("seed=" + seed + ": at least 25% of mutants should still load, got " + loaded + "/" + cases)
                .isGreaterThanOrEqualTo(cases);
    }

    static Mutant mutate(String rel, String text, Random random) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (lines.isEmpty()) lines.add("");
        int at = random.nextInt(lines.size());
        String mutation;
        // Cases 0-3 break structure; 4-7 are the edits people make (a changed word or number), which must reach the
        // later stages (merge, canonical form, semantics) rather than stop at the YAML reader.
        switch (random.nextInt(8)) {
            case 0 -> {
                mutation = "delete line " + (at + 1);
                lines.remove(at);
            }
            case 1 -> {
                mutation = "duplicate line " + (at + 1);
                lines.add(at, lines.get(at));
            }
            case 2 -> {
                int delta = random.nextBoolean() ? 2 : -2;
                mutation = "indent line " + (at + 1) + " by " + delta;
                String l = lines.get(at);
                lines.set(at, delta > 0 ? "  " + l : l.startsWith("  ") ? l.substring(2) : l);
            }
            case 4, 5, 6, 7 -> {
                String l = lines.get(at);
                java.util.regex.Matcher word = java.util.regex.Pattern.compile("^(\\s*(?:- )?(?:[\\w.-]+: )?)([\\w./:@-]+)\\s*$").matcher(l);
                if (word.matches() && !word.group(2).endsWith(":")) {
                    String old = word.group(2);
                    String replacement = old.chars().allMatch(Character::isDigit) ? Integer.toString(1 + random.nextInt(65535))
                            : "w" + Integer.toString(random.nextInt(1 << 20), 36);
                    mutation = "change value on line " + (at + 1) + " to \"" + replacement + "\"";
                    lines.set(at, word.group(1) + replacement);
                } else {
                    mutation = "delete line " + (at + 1);
                    lines.remove(at);
                }
            }
            default -> {
                String junk = JUNK[random.nextInt(JUNK.length)];
                String l = lines.get(at);
                int colon = l.indexOf(": ");
                mutation = "replace scalar on line " + (at + 1) + " with \"" + junk + "\"";
                if (colon >= 0) {
                    lines.set(at, l.substring(0, colon + 2) + junk);
                } else if (l.trim().startsWith("- ")) {
                    lines.set(at, l.substring(0, l.indexOf("- ") + 2) + junk);
                } else {
                    lines.set(at, l + junk);
                }
            }
        }
        return new Mutant(rel, mutation, String.join("\n", lines));
    }
}
