package io.jcompose.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir Path root;

    @Test
    void writesVerifiedBlobsAtTheirDigest() throws IOException {
        ContentStore s = new ContentStore(root);
        byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
        Digest d = s.write(b);
        assertThat(d.toString()).isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(root.resolve("blobs/sha256/" + d.hex())).hasBinaryContent(b);
        assertThat(s.readVerified(d)).isEqualTo(b);
        assertThat(s.list()).containsExactly(d);
    }

    @Test
    void mismatchLeavesNothing() throws IOException {
        ContentStore s = new ContentStore(root);
        Digest wrong = Digest.of("other");
        assertThatThrownBy(() -> s.write(new ByteArrayInputStream("hello".getBytes()), Optional.of(wrong), n -> {}))
                .isInstanceOf(DigestMismatchException.class).hasMessageContaining(wrong.toString());
        try (var files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void interruptedWriteLeavesOnlyATempFileRemovedAtOpen() throws IOException {
        ContentStore s = new ContentStore(root);
        InputStream failing = new InputStream() {
            int n;
            @Override
            public int read() throws IOException {
                if (n++ > 1000) throw new IOException("connection reset");
                return 'x';
            }
        };
        assertThatThrownBy(() -> s.write(failing, Optional.empty(), n -> {})).hasMessageContaining("connection reset");
        assertThat(s.list()).isEmpty();
        Files.writeString(root.resolve("blobs/sha256/.tmp-crashed.part"), "half"); // as a kill -9 would leave it
        new ContentStore(root);
        try (var files = Files.list(root.resolve("blobs/sha256"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void verifyDetectsAndDropsCorruption() throws IOException {
        ContentStore s = new ContentStore(root);
        Digest d = s.write("data".getBytes());
        Files.writeString(s.path(d), "tampered");
        assertThatThrownBy(() -> s.readVerified(d)).isInstanceOf(DigestMismatchException.class);
        assertThatThrownBy(() -> s.verify(d)).isInstanceOf(DigestMismatchException.class);
        assertThat(s.has(d)).isFalse();
    }
}
