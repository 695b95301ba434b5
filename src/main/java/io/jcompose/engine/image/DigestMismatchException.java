package io.jcompose.engine.image;

import java.io.IOException;

/** Content whose bytes do not hash to the digest that named it: never stored, never used. */
public final class DigestMismatchException extends IOException {
    public DigestMismatchException(String what, Digest expected, Digest actual) {
        super(what + ": digest mismatch: expected " + expected + ", got " + actual
                + "; the content was tampered with or corrupted in transit, and was discarded");
    }
}
