package io.jcompose.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DetachKeysTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|16 17",
        "ctrl-p,ctrl-q|16 17",
        "ctrl-x,y|24 121",
        "CTRL-A|1",
        "ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_|0 27 28 29 30 31",
        "a,b,c|97 98 99",
    })
    void parsesDockersNotation(String spec, String bytes) {
        byte[] seq = DetachKeys.parse(spec).sequence();
        StringBuilder sb = new StringBuilder();
        for (byte b : seq) sb.append(sb.length() == 0 ? "" : " ").append(b & 0xff);
        assertThat(sb.toString()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"ctrl-5", "ctrl-pp", "ab", "ctrl-p,,ctrl-q"})
    void rejectsWhatDockerRejects(String spec) {
        assertThatThrownBy(() -> DetachKeys.parse(spec)).isInstanceOf(ContainerException.class)
                .hasMessageContaining("Invalid detach keys (" + spec + ")");
    }

    /** Input as the client sends it, in chunks split at every byte and in one piece: the same result. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // input | passed on | detached
        "ab|ab|false",
        "ab<P><Q>cd|ab|true",
        "<P>x<Q>|<P>x<Q>|false",
        "<P><P><Q>z|<P>|true",
        "a<P>|a<P>|false", // input ends inside a partial sequence: those bytes were input
        "<Q><P><Q>|<Q>|true",
    })
    void filtersTheSequence(String input, String passed, boolean detached) throws IOException {
        byte[] in = decode(input);
        for (int chunk : new int[] {1, 2, in.length + 1}) {
            DetachKeys.Filter f = DetachKeys.DEFAULT.filter(new Chunked(in, chunk));
            byte[] out = f.readAllBytes();
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).as("chunks of " + chunk).isEqualTo(new String(decode(passed), StandardCharsets.ISO_8859_1));
            assertThat(f.detached()).as("chunks of " + chunk).isEqualTo(detached);
        }
    }

    @Test
    void readsAfterDetachEndTheStream() throws IOException {
        DetachKeys.Filter f = DetachKeys.parse("ctrl-x").filter(new ByteArrayInputStream(new byte[] {'a', 24, 'b'}));
        assertThat(f.readAllBytes()).containsExactly('a');
        assertThat(f.read()).isEqualTo(-1);
        assertThat(f.detached()).isTrue();
    }

    private static byte[] decode(String s) {
        return s.replace("<P>", "\u0010").replace("<Q>", "\u0011").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Hands out at most {@code chunk} bytes per read, as a network connection may. */
    private static final class Chunked extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        Chunked(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
