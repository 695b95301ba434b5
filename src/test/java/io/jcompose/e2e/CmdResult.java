package io.jcompose.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * What one command printed and returned, with the upstream DSL's observations as assertions. {@code output} is
 * stdout and stderr together (upstream's {@code OutputContains}); {@code stdout} alone for {@code StdoutContains}.
 *
 * <p>Text is compared with runs of whitespace collapsed to one space on both sides: SCENARIOS.md transcribes
 * multi-line expectations (rendered YAML) on one line, so its layout is not part of the contract, its words are.
 */
record CmdResult(List<String> command, int exitCode, String stdout, String stderr) {
    CmdResult {
        command = List.copyOf(command);
    }

    String output() {
        return stdout + (stdout.isEmpty() || stdout.endsWith("\n") ? "" : "\n") + stderr;
    }

    CmdResult outputContains(String expected) {
        assertThat(flat(output())).as(describe("output contains %s", expected)).contains(flat(expected));
        return this;
    }

    CmdResult outputNotContains(String unexpected) {
        assertThat(flat(output())).as(describe("output does not contain %s", unexpected)).doesNotContain(flat(unexpected));
        return this;
    }

    CmdResult stdoutContains(String expected) {
        assertThat(flat(stdout)).as(describe("stdout contains %s", expected)).contains(flat(expected));
        return this;
    }

    /** {@code OutputMatchesCount(regex, n)}: the regular expression matches exactly {@code n} times in the output. */
    CmdResult outputMatchesCount(String regex, int expected) {
        long n = java.util.regex.Pattern.compile(regex).matcher(output()).results().count();
        assertThat(n).as(describe("matches of /%s/", regex)).isEqualTo(expected);
        return this;
    }

    CmdResult exitCode(int expected) {
        assertThat(exitCode).as(describe("exit code %s", expected)).isEqualTo(expected);
        return this;
    }

    /** Fails unless the command succeeded (what every upstream step without MayFail() asserts). */
    CmdResult success() {
        return exitCode(0);
    }

    private String describe(String what, Object arg) {
        return String.format("%s: " + what + "%n--- stdout%n%s--- stderr%n%s", String.join(" ", command), arg, stdout, stderr);
    }

    static String flat(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
