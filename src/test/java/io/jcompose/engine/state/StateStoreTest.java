package io.jcompose.engine.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    record Thing(String name, int count, Map<String, String> labels) {
        Thing {
            labels = new TreeMap<>(labels);
        }
    }

    @TempDir
    Path tmp;

    @Test
    void putGetReadAllDelete() throws Exception {
        StateStore<Thing> store = new StateStore<>(tmp.resolve("things"), Thing.class);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir()))).isEqualTo("rwx------");
        Thing a = new Thing("a", 1, Map.of("z", "1", "b", "2"));
        store.put("a1", a);
        store.put("b2", new Thing("b", 2, Map.of()));
        store.put("a1", new Thing("a", 3, Map.of()));
        assertThat(store.get("a1")).contains(new Thing("a", 3, Map.of()));
        assertThat(store.get("missing")).isEmpty();
        Path file = store.dir().resolve("a1.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        StateStore<Thing> reopened = new StateStore<>(tmp.resolve("things"), Thing.class);
        var loaded = reopened.readAll();
        assertThat(loaded.records().keySet()).containsExactly("a1", "b2");
        assertThat(loaded.corrupt()).isEmpty();

        assertThat(reopened.delete("a1")).isTrue();
        assertThat(reopened.delete("a1")).isFalse();
        assertThat(reopened.readAll().records().keySet()).containsExactly("b2");
    }

    @Test
    void mapsAreWrittenSortedAndReadable() throws Exception {
        StateStore<Thing> store = new StateStore<>(tmp, Thing.class);
        store.put("x", new Thing("x", 0, Map.of("zeta", "1", "alpha", "2")));
        String text = Files.readString(tmp.resolve("x.json"));
        assertThat(text.indexOf("alpha")).isLessThan(text.indexOf("zeta"));
        assertThat(text).contains("\n"); // indented for people
    }

    @Test
    void readAllRemovesTemporariesAndSetsCorruptFilesAside() throws Exception {
        StateStore<Thing> store = new StateStore<>(tmp, Thing.class);
        store.put("good", new Thing("g", 1, Map.of()));
        Files.writeString(tmp.resolve(AtomicFile.TMP_PREFIX + "good.json-123"), "{\"name\":\"half");
        Files.writeString(tmp.resolve("bad.json"), "{not json");
        var loaded = store.readAll();
        assertThat(loaded.records().keySet()).containsExactly("good");
        assertThat(loaded.corrupt()).extracting(StateStore.Corrupt::file).containsExactly(tmp.resolve("bad.json.corrupt"));
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("bad.json.corrupt", "good.json");
        }
    }

    @Test
    void getOfACorruptFileSaysWhich() throws Exception {
        StateStore<Thing> store = new StateStore<>(tmp, Thing.class);
        Files.writeString(tmp.resolve("bad.json"), "[1,");
        assertThatThrownBy(() -> store.get("bad")).isInstanceOf(StateException.class).hasMessageContaining("bad.json is corrupt");
    }

    @Test
    void idsThatAreNotPlainFileNamesAreRefused() throws Exception {
        StateStore<Thing> store = new StateStore<>(tmp, Thing.class);
        for (String id : List.of("", "../x", "a/b", ".hidden", "x".repeat(129))) {
            assertThatThrownBy(() -> store.put(id, new Thing("t", 0, Map.of()))).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.readAll().records()).isEmpty();
    }

    @Test
    void atomicWriteReplacesWholeFileAndLeavesNoTemporary() throws Exception {
        Path f = tmp.resolve("f");
        AtomicFile.write(f, "first version, long".getBytes());
        AtomicFile.write(f, "second".getBytes());
        assertThat(Files.readString(f)).isEqualTo("second");
        try (var files = Files.list(tmp)) {
            assertThat(files.toList()).containsExactly(f);
        }
    }

    @Test
    void formatIsStampedOnANewRootAndANewerOneIsRefused() throws Exception {
        assertThat(StateFormat.check(tmp)).isEqualTo(StateFormat.CURRENT);
        assertThat(Files.readString(tmp.resolve(StateFormat.FILE)).trim()).isEqualTo(Integer.toString(StateFormat.CURRENT));
        assertThat(StateFormat.check(tmp)).isEqualTo(StateFormat.CURRENT);

        Files.writeString(tmp.resolve(StateFormat.FILE), (StateFormat.CURRENT + 1) + "\n");
        assertThatThrownBy(() -> StateFormat.check(tmp)).isInstanceOf(StateException.class)
                .hasMessage("state root " + tmp + " has format " + (StateFormat.CURRENT + 1)
                        + ", written by a newer jcompose; this engine reads format " + StateFormat.CURRENT
                        + " at most: upgrade jcompose or use another --root");

        Files.writeString(tmp.resolve(StateFormat.FILE), "banana");
        assertThatThrownBy(() -> StateFormat.check(tmp)).hasMessageContaining("\"banana\", not a format number");
    }
}
