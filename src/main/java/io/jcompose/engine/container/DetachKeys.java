package io.jcompose.engine.container;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Docker's detach keys: a sequence such as {@code ctrl-p,ctrl-q} (the default) that, typed into the input of an
 * attach or exec with a TTY, detaches the client and leaves the process running. Each comma-separated key is one
 * character or {@code ctrl-X} with X one of {@code a-z @ [ \ ] ^ _}.
 */
public record DetachKeys(byte[] sequence) {
    public static final DetachKeys DEFAULT = new DetachKeys(new byte[] {16, 17});

    public DetachKeys {
        sequence = sequence.clone();
        if (sequence.length == 0) throw new IllegalArgumentException("detach keys must not be empty");
    }

    /** {@code spec} empty or null: the default. Invalid: {@link ContainerException} of kind INVALID. */
    public static DetachKeys parse(String spec) {
        if (spec == null || spec.isEmpty()) return DEFAULT;
        String[] keys = spec.split(",", -1);
        byte[] seq = new byte[keys.length];
        for (int i = 0; i < keys.length; i++) {
            String k = keys[i];
            if (k.length() == 1) {
                seq[i] = (byte) k.charAt(0);
            } else if (k.length() == 6 && k.toLowerCase(java.util.Locale.ROOT).startsWith("ctrl-")) {
                char c = Character.toLowerCase(k.charAt(5));
                if (c >= 'a' && c <= 'z') seq[i] = (byte) (c - 'a' + 1);
                else if (c == '@') seq[i] = 0;
                else if (c >= '[' && c <= '_') seq[i] = (byte) (c - '[' + 27);
                else throw ContainerException.invalid("Invalid detach keys (" + spec + ") provided: unknown character '" + k + "'");
            } else {
                throw ContainerException.invalid("Invalid detach keys (" + spec + ") provided: unknown character '" + k + "'");
            }
        }
        return new DetachKeys(seq);
    }

    @Override
    public byte[] sequence() {
        return sequence.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetachKeys d && Arrays.equals(sequence, d.sequence);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sequence);
    }

    @Override
    public String toString() {
        return "DetachKeys" + Arrays.toString(sequence);
    }

    /**
     * {@code in} without the detach sequence: bytes that may start it are held back until they do not (then passed
     * on) or complete it (then the stream ends and {@link Filter#detached()} is true).
     */
    public Filter filter(InputStream in) {
        return new Filter(in, sequence);
    }

    /** The filtered input; see {@link #filter}. */
    public static final class Filter extends FilterInputStream {
        private final byte[] seq;
        private int matched;
        private byte[] pending = new byte[0];
        private int pendingOff;
        private volatile boolean detached;

        Filter(InputStream in, byte[] seq) {
            super(in);
            this.seq = seq;
        }

        /** True once the whole sequence was read: the client asked to detach. */
        public boolean detached() {
            return detached;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            int n = read(b, 0, 1);
            return n <= 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (true) {
                if (pendingOff < pending.length) {
                    int n = Math.min(len, pending.length - pendingOff);
                    System.arraycopy(pending, pendingOff, b, off, n);
                    pendingOff += n;
                    return n;
                }
                if (detached) return -1;
                byte[] buf = new byte[Math.max(len, 1)];
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    // The client's input ended inside a partial sequence: those bytes were input after all.
                    if (matched == 0) return -1;
                    pending = Arrays.copyOf(seq, matched);
                    pendingOff = 0;
                    matched = 0;
                    continue;
                }
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n + seq.length);
                for (int i = 0; i < n && !detached; i++) {
                    byte c = buf[i];
                    if (c == seq[matched]) {
                        matched++;
                        if (matched == seq.length) detached = true;
                    } else {
                        out.write(seq, 0, matched);
                        matched = 0;
                        if (c == seq[0]) {
                            matched = 1;
                            if (seq.length == 1) detached = true;
                        } else {
                            out.write(c);
                        }
                    }
                }
                pending = out.toByteArray();
                pendingOff = 0;
            }
        }
    }
}
