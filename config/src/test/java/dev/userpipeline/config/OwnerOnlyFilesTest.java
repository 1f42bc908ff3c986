package dev.userpipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories and files for their owner only, from the moment they exist. */
class OwnerOnlyFilesTest {

    @Test
    void directoriesAndTheirMissingParentsAreCreatedForTheOwnerOnly(@TempDir Path dir) throws Exception {
        Path deep = OwnerOnlyFiles.createDirectories(dir.resolve("home/run/x"));
        for (Path p = deep; !p.equals(dir); p = p.getParent()) {
            assertThat(Files.getPosixFilePermissions(p)).as(p.toString()).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFileIsWrittenWholeAndReadableByItsOwnerOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("secret");
        OwnerOnlyFiles.write(file, "first");
        OwnerOnlyFiles.write(file, "second");
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(dir.resolve("secret.tmp")).doesNotExist();
    }

    @Test
    void savedSettingsHoldingAPasswordAreTheOwnersAlone(@TempDir Path dir) throws Exception {
        Setting<String> password = Setting.secret("db.password", "s3cret", "a password");
        Path file = dir.resolve("run/settings.properties");
        Settings.of(java.util.List.of(password)).resolve().save(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Settings.load(file)).isEqualTo(Map.of("db.password", "s3cret"));
    }

    @Test
    void aWideWorkDirectoryOfAnEarlierVersionIsNarrowed(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        OwnerOnlyFiles.restrict(home);
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }
}
