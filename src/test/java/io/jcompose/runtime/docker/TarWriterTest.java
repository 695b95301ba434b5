package io.jcompose.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TarWriterTest {
    @Test
    void anIndependentReaderSeesNamesLinksOwnersAndModesAsWritten() throws Exception {
        String longName = "d/" + "n".repeat(150) + ".txt";
        String longLink = "/" + "l".repeat(120);
        byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter.entry(out, "d/", '5', 0, 0750, 0, 0, "", 1_700_000_000L);
        TarWriter.entry(out, longName, '0', body.length, 0440, 1000, 2000, "", 1_700_000_000L);
        out.write(body);
        TarWriter.pad(out, body.length);
        TarWriter.entry(out, "d/link", '2', 0, 0777, 0, 0, longLink, 1_700_000_000L);
        TarWriter.finish(out);

        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry dir = in.getNextEntry();
            assertThat(dir.isDirectory()).isTrue();
            assertThat(dir.getMode() & 07777).isEqualTo(0750);
            TarArchiveEntry file = in.getNextEntry();
            assertThat(file.getName()).isEqualTo(longName);
            assertThat(file.getMode() & 07777).isEqualTo(0440);
            assertThat(file.getLongUserId()).isEqualTo(1000);
            assertThat(file.getLongGroupId()).isEqualTo(2000);
            assertThat(file.getModTime().getTime()).isEqualTo(1_700_000_000_000L);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
            TarArchiveEntry link = in.getNextEntry();
            assertThat(link.isSymbolicLink()).isTrue();
            assertThat(link.getLinkName()).isEqualTo(longLink);
            assertThat(in.getNextEntry()).isNull();
        }
    }
}
