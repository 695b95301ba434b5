package io.jcompose.engine.state;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Records of one kind kept as one JSON file each, {@code <dir>/<id>.json}, written atomically ({@link AtomicFile}).
 * Example: {@code new StateStore<>(root.resolve("containers"), ContainerRecord.class)} keeps
 * {@code containers/4f2a….json}. Ids become file names, so they are restricted to
 * {@code [A-Za-z0-9][A-Za-z0-9_.-]*} (≤ 128 chars). Callers serialise writes to the same id; different ids
 * may be written concurrently.
 */
public final class StateStore<T> {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final String SUFFIX = ".json";

    /** Sorted keys and indented output: state files are read by people debugging, and diff well. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Path dir;
    private final Class<T> type;

    /** A file that could not be read back; {@link #readAll()} moves it aside as {@code <id>.json.corrupt}. */
    public record Corrupt(Path file, String problem) {}

    /** Everything {@link #readAll()} found: the records by id (sorted) and the files it had to set aside. */
    public record Loaded<T>(SortedMap<String, T> records, List<Corrupt> corrupt) {
        public Loaded {
            records = new TreeMap<>(records);
            corrupt = List.copyOf(corrupt);
        }
    }

    /** Opens (creating, 0700) the directory {@code dir} for records of {@code type}. */
    public StateStore(Path dir, Class<T> type) throws IOException {
        this.dir = dir;
        this.type = type;
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    public Path dir() {
        return dir;
    }

    /** Writes (creates or replaces) the record {@code id}. */
    public void put(String id, T value) throws IOException {
        AtomicFile.write(file(id), MAPPER.writeValueAsBytes(value));
    }

    /** The record {@code id}, or empty if there is none; a corrupt file is a {@link StateException}. */
    public Optional<T> get(String id) throws IOException {
        Path f = file(id);
        if (!Files.exists(f)) return Optional.empty();
        try {
            return Optional.of(MAPPER.readValue(f.toFile(), type));
        } catch (JacksonException e) {
            throw new StateException("state file " + f + " is corrupt (" + e.getOriginalMessage() + ")", e);
        }
    }

    /** Deletes the record {@code id}; false if there was none. */
    public boolean delete(String id) throws IOException {
        return AtomicFile.delete(file(id));
    }

    /**
     * Reads every record, as the engine does on start. Temporaries of interrupted writes are removed; a file that
     * does not parse is renamed to {@code .corrupt} and reported, so one bad file does not stop the engine.
     */
    public Loaded<T> readAll() throws IOException {
        AtomicFile.cleanTemporaries(dir);
        SortedMap<String, T> records = new TreeMap<>();
        List<Corrupt> corrupt = new ArrayList<>();
        try (var files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (!ID.matcher(id).matches()) continue;
                try {
                    records.put(id, MAPPER.readValue(f.toFile(), type));
                } catch (JacksonException e) {
                    Path aside = f.resolveSibling(name + ".corrupt");
                    Files.move(f, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    corrupt.add(new Corrupt(aside, e.getOriginalMessage()));
                }
            }
        }
        return new Loaded<>(records, corrupt);
    }

    private Path file(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid state id \"" + id + "\": use [A-Za-z0-9][A-Za-z0-9_.-]*, at most 128 characters");
        }
        return dir.resolve(id + SUFFIX);
    }
}
