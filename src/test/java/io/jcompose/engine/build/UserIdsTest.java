package io.jcompose.engine.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserIdsTest {
    @TempDir Path root;

    private void files() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app,other\nstaff:x:50:\n");
    }

    @Test
    void namesAndNumbersResolveAsDockerdDoes() throws Exception {
        files();
        assertThat(UserIds.resolve("", root)).isEqualTo(new UserIds(0, 0, List.of()));
        assertThat(UserIds.resolve("app", root)).isEqualTo(new UserIds(1000, 1000, List.of(10)));
        assertThat(UserIds.resolve("1000", root)).isEqualTo(new UserIds(1000, 1000, List.of(10)));
        assertThat(UserIds.resolve("app:staff", root)).isEqualTo(new UserIds(1000, 50, List.of()));
        assertThat(UserIds.resolve("4242", root)).isEqualTo(new UserIds(4242, 0, List.of()));
        assertThat(UserIds.resolve("4242:77", root)).isEqualTo(new UserIds(4242, 77, List.of()));
        assertThatThrownBy(() -> UserIds.resolve("nobody", root)).isInstanceOf(BuildException.class)
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
        assertThatThrownBy(() -> UserIds.resolve("app:nogroup", root)).isInstanceOf(BuildException.class)
                .hasMessageContaining("unable to find group nogroup");
    }
}
