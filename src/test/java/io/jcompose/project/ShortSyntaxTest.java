package io.jcompose.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small parsers: Go durations, shell words, port and volume short syntax. Expected values from Go/docker docs. */
class ShortSyntaxTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            90s       | 1m30s
            1m30s     | 1m30s
            1h        | 1h0m0s
            1h5m30s   | 1h5m30s
            1500ms    | 1.5s
            0.5s      | 500ms
            0         | 0s
            10us      | 10µs
            1.5ms     | 1.5ms
            250ns     | 250ns
            61.25s    | 1m1.25s
            -90s      | -1m30s
            1d        | 24h0m0s
            """)
    void durationsPrintLikeGo(String in, String out) {
        assertThat(GoDuration.format(GoDuration.parseNanos(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource({"10", "1x", "s", "1h 30m", "''"})
    void badDurationsAreRejected(String in) {
        assertThatThrownBy(() -> GoDuration.parseNanos(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid duration");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            echo hello                      | echo,hello
            sh -c 'echo $HOME'              | sh,-c,echo $HOME
            "a b" c                         | a b,c
            a\\ b                           | a b
            x "say \\"hi\\"" y              | x,say "hi",y
            '  spaced   out  '              | spaced,out
            """)
    void shellWords(String in, String words) {
        assertThat(CommandWords.split(in)).isEqualTo(Arrays.asList(words.split(",")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            80                        | :80/tcp
            8080:80                   | :8080:80/tcp
            127.0.0.1:8080:80/udp     | 127.0.0.1:8080:80/udp
            127.0.0.1::80             | 127.0.0.1::80/tcp
            [::1]:8080:80             | ::1:8080:80/tcp
            3000-3002                 | :3000/tcp :3001/tcp :3002/tcp
            9090-9091:8080-8081       | :9090:8080/tcp :9091:8081/tcp
            8000-8010:80              | :8000-8010:80/tcp
            """)
    void ports(String in, String expected) {
        List<String> got = ShortSyntax.ports(in).stream()
                .map(p -> p.hostIp() + (p.published().isEmpty() && p.hostIp().isEmpty() ? "" : ":" + p.published()) + ":" + p.target() + "/" + p.protocol())
                .toList();
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"80:abc", "70000:80", "1-3:4-5", "a:b:c:d", "8080:80/"})
    void badPortsAreRejected(String in) {
        assertThatThrownBy(() -> ShortSyntax.ports(in)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"" + in + "\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            /data                  | volume;;/data;false
            db:/data               | volume;db;/data;false
            ./src:/app/:ro         | bind;./src;/app;true
            ~/x:/x:rw,z            | bind;~/x;/x;false
            /a/../b:/c             | bind;/a/../b;/c;false
            """)
    void volumes(String in, String expected) {
        ShortSyntax.Volume v = ShortSyntax.volume(in);
        assertThat(v.type() + ";" + v.source() + ";" + v.target() + ";" + v.readOnly()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"a:b:c:d", "a::b", "''"})
    void badVolumesAreRejected(String in) {
        assertThatThrownBy(() -> ShortSyntax.volume(in)).isInstanceOf(IllegalArgumentException.class);
    }
}
