package io.jcompose.engine.container;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** libc through jnr-posix, loaded on first use (the engine pays jnr's start-up once; the CLI never loads it). */
final class Native {
    private Native() {}

    static final POSIX POSIX = POSIXFactory.getNativePOSIX();
}
