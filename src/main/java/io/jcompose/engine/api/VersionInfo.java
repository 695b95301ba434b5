package io.jcompose.engine.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.SortedMap;

/** GET /version, shaped as moby's {@code SystemVersion}. */
record VersionInfo(
        @JsonProperty("Platform") Platform platform,
        @JsonProperty("Components") List<Component> components,
        @JsonProperty("Version") String version,
        @JsonProperty("ApiVersion") String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        @JsonProperty("GitCommit") String gitCommit,
        @JsonProperty("GoVersion") String goVersion,
        @JsonProperty("Os") String os,
        @JsonProperty("Arch") String arch,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("Experimental") boolean experimental,
        @JsonProperty("BuildTime") String buildTime) {

    record Platform(@JsonProperty("Name") String name) {}

    /** Details are strings only, as in moby. */
    record Component(@JsonProperty("Name") String name, @JsonProperty("Version") String version,
                     @JsonProperty("Details") SortedMap<String, String> details) {}
}
