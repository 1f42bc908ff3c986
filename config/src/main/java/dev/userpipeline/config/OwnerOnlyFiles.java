package dev.userpipeline.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files that only their owner may read: the work directory, secrets, settings holding a
 * password. Each is created with its mode from the start, never written first and restricted after, so that
 * no other account on the machine can read it even for a moment.
 */
public final class OwnerOnlyFiles {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates {@code dir} and any missing parent as 0700; directories that exist keep their mode. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        Path parent = absolute.getParent();
        if (parent != null && !Files.exists(parent)) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, directoryMode());
        } catch (FileAlreadyExistsException raced) {
            // Created meanwhile by another thread or process: fine, as long as it is a directory.
            if (!Files.isDirectory(absolute)) {
                throw raced;
            }
        }
        return absolute;
    }

    /** Makes an existing directory 0700 (the work directory of a stack started before this rule). */
    public static void restrict(Path dir) throws IOException {
        if (Files.isDirectory(dir) && posix(dir) && !Files.getPosixFilePermissions(dir).equals(DIRECTORY)) {
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
    }

    /**
     * Writes {@code text} to {@code file} atomically: a temporary file created 0600 beside it, then renamed over
     * it. A reader sees the old content or the new, never a part, and never a moment of a wider mode.
     */
    public static void write(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, fileMode(tmp.getParent()));
        Files.write(tmp, content);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Creates an empty file 0600 if it is not there (e.g. a log a process will append to); one that is there, kept
     * as it is for appending, is narrowed to 0600 if an earlier version left it wider.
     */
    public static void touch(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        createDirectories(target.getParent());
        try {
            Files.createFile(target, fileMode(target.getParent()));
        } catch (FileAlreadyExistsException exists) {
            if (posix(target) && Files.isRegularFile(target) && !Files.getPosixFilePermissions(target).equals(FILE)) {
                Files.setPosixFilePermissions(target, FILE);
            }
        }
    }

    private static FileAttribute<?>[] directoryMode() {
        return isPosix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)} : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileMode(Path dir) {
        return posix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    private static boolean isPosix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
