package dev.userpipeline.services.airflow;

import dev.userpipeline.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Airflow in a virtualenv of its own, installed from PyPI with the versions pinned in
 * {@code airflow/requirements.txt} and {@code airflow/constraints.txt} (the whole resolved set, so a
 * fresh machine resolves exactly what was tested).
 *
 * <p>The install is skipped when the virtualenv was made from the same pins and the same Python; a
 * changed pin reinstalls.
 */
public final class AirflowInstallation {

    static final int MIN_MINOR = 10;
    private static final long INSTALL_TIMEOUT_MINUTES = 20;

    private final String python;
    private final Path venv;
    private final Path requirements;
    private final Path constraints;
    private volatile Optional<String> pythonVersion;

    public AirflowInstallation(String python, Path venv, Path requirements, Path constraints) {
        this.python = python;
        this.venv = venv.toAbsolutePath().normalize();
        this.requirements = requirements;
        this.constraints = constraints;
    }

    public static AirflowInstallation of(Settings settings, Path home, Path root) {
        return new AirflowInstallation(settings.get(AirflowSettings.PYTHON), home.resolve(settings.get(AirflowSettings.VENV)),
                root.resolve("airflow/requirements.txt"), root.resolve("airflow/constraints.txt"));
    }

    public Path venv() {
        return venv;
    }

    /** The {@code airflow} command of the virtualenv. */
    public Path airflow() {
        return venv.resolve("bin/airflow");
    }

    /** The virtualenv's Python (for pytest and the like). */
    public Path python() {
        return venv.resolve("bin/python");
    }

    /**
     * Why Airflow cannot be installed here, or empty when it can: no Python found, one older than
     * 3.10, or one without the {@code venv} module (Debian splits it into {@code python3-venv}).
     */
    public Optional<String> unusable() {
        try {
            String version = pythonVersion();
            String[] parts = version.split("\\.");
            if (Integer.parseInt(parts[0]) < 3 || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) < MIN_MINOR)) {
                return Optional.of(python + " is Python " + version + "; Airflow needs 3." + MIN_MINOR + " or newer (set "
                        + AirflowSettings.PYTHON.env() + " to another)");
            }
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private String pythonVersion() {
        Optional<String> known = pythonVersion;
        if (known != null) {
            return known.orElseThrow(() -> new IllegalStateException(python + " cannot create a virtualenv"));
        }
        try {
            Process probe = new ProcessBuilder(python, "-c",
                    "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])")
                    .redirectErrorStream(true).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                pythonVersion = Optional.empty();
                String last = out.lines().reduce((a, b) -> b).orElse("");
                throw new IllegalStateException(python + " cannot create a virtualenv (" + last
                        + "); on Debian: apt-get install python3-venv");
            }
            pythonVersion = Optional.of(out);
            return out;
        } catch (IOException e) {
            pythonVersion = Optional.empty();
            throw new IllegalStateException("no Python found as '" + python + "' (" + e.getMessage() + "); install Python 3."
                    + MIN_MINOR + "+ or set " + AirflowSettings.PYTHON.env(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + python, e);
        }
    }

    /** Whether the virtualenv holds exactly the pinned set. */
    public boolean installed() {
        try {
            return Files.isExecutable(airflow()) && Files.isRegularFile(stamp())
                    && Files.readString(stamp(), StandardCharsets.UTF_8).trim().equals(fingerprint());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates the virtualenv and installs the pinned set into it, unless already done; pip's output
     * is appended to {@code log}.
     *
     * @return true if it installed, false if the virtualenv was already complete
     */
    public boolean ensureInstalled(Path log) throws IOException, InterruptedException {
        if (installed()) {
            return false;
        }
        unusable().ifPresent(problem -> {
            throw new IllegalStateException(problem);
        });
        Files.deleteIfExists(stamp());
        if (!Files.isExecutable(python())) {
            run(List.of(python, "-m", "venv", venv.toString()), log, "creating the virtualenv " + venv);
        }
        List<String> pip = new ArrayList<>(List.of(python().toString(), "-m", "pip", "install",
                "--disable-pip-version-check", "--no-input", "--progress-bar", "off",
                "-r", requirements.toString(), "-c", constraints.toString()));
        run(pip, log, "pip install -r " + requirements.getFileName() + " -c " + constraints.getFileName());
        Files.writeString(stamp(), fingerprint() + "\n", StandardCharsets.UTF_8);
        return true;
    }

    private void run(List<String> command, Path log, String what) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "---- " + what + ": " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(what + " did not finish in " + INSTALL_TIMEOUT_MINUTES + " minutes (log: " + log + ")");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(what + " failed with exit code " + process.exitValue()
                    + "; PyPI must be reachable (pip's output is in " + log + ")");
        }
    }

    private Path stamp() {
        return venv.resolve(".pipeline-installed");
    }

    /** The pins and the Python they were installed for. */
    String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(requirements));
            sha.update(Files.readAllBytes(constraints));
            sha.update(pythonVersion().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read Airflow's pins (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
