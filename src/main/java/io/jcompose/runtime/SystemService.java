package io.jcompose.runtime;

/** Engine-wide queries. */
public interface SystemService {
    /** Checks the engine answers; returns the API version it speaks. Fails with UNAVAILABLE if it does not. */
    String ping();

    VersionInfo version();

    EngineInfo info();
}
