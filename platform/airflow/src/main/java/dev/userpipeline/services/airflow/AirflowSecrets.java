package dev.userpipeline.services.airflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * What Airflow's processes must share and nobody else may read, generated once per work directory
 * and kept there with owner-only permissions: the admin login of the UI and REST API (simple auth
 * manager), the key that signs the JWTs the API server and the task runners exchange, the web
 * session key and the Fernet key that encrypts connections.
 */
public final class AirflowSecrets {

    public static final String ADMIN = "admin";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Path dir;
    private final String adminPassword;
    private final Properties keys;
    private final boolean created;

    private AirflowSecrets(Path dir, String adminPassword, Properties keys, boolean created) {
        this.dir = dir;
        this.adminPassword = adminPassword;
        this.keys = keys;
        this.created = created;
    }

    /** Reads the secrets of {@code airflowHome}, generating what is missing. */
    public static synchronized AirflowSecrets load(Path airflowHome) {
        try {
            Files.createDirectories(airflowHome);
            Path credentials = airflowHome.resolve("admin-credentials");
            boolean created = false;
            String password;
            if (Files.isRegularFile(credentials)) {
                String line = Files.readString(credentials, StandardCharsets.UTF_8).trim();
                password = line.substring(line.indexOf(':') + 1);
            } else {
                password = randomText(20);
                writePrivate(credentials, ADMIN + ":" + password + "\n");
                created = true;
            }
            // The simple auth manager reads its users' passwords from this file and keeps what it finds.
            Path passwords = passwordsFile(airflowHome);
            String users = "{\"" + ADMIN + "\": \"" + password + "\"}\n";
            if (!Files.isRegularFile(passwords) || !Files.readString(passwords, StandardCharsets.UTF_8).equals(users)) {
                writePrivate(passwords, users);
            }

            Path keyFile = airflowHome.resolve("keys.properties");
            Properties keys = new Properties();
            if (Files.isRegularFile(keyFile)) {
                try (var in = Files.newBufferedReader(keyFile, StandardCharsets.UTF_8)) {
                    keys.load(in);
                }
            }
            boolean missing = false;
            for (String key : new String[] {"jwt.secret", "api.secret.key"}) {
                if (!keys.containsKey(key)) {
                    keys.setProperty(key, randomText(48));
                    missing = true;
                }
            }
            if (!keys.containsKey("fernet.key")) {
                byte[] raw = new byte[32];
                RANDOM.nextBytes(raw);
                keys.setProperty("fernet.key", Base64.getUrlEncoder().encodeToString(raw));
                missing = true;
            }
            if (missing) {
                try (Writer out = new java.io.StringWriter()) {
                    keys.store(out, "Keys shared by Airflow's processes; generated once");
                    writePrivate(keyFile, out.toString());
                }
            }
            return new AirflowSecrets(airflowHome, password, keys, created);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write Airflow's secrets in " + airflowHome + ": " + e.getMessage(), e);
        }
    }

    static Path passwordsFile(Path airflowHome) {
        return airflowHome.resolve("simple_auth_manager_passwords.json");
    }

    public String adminUser() {
        return ADMIN;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** Where the login is kept, as {@code user:password}. */
    public Path credentialsFile() {
        return dir.resolve("admin-credentials");
    }

    /** True when this call generated the login, i.e. the one time it should be shown. */
    public boolean newlyCreated() {
        return created;
    }

    String jwtSecret() {
        return keys.getProperty("jwt.secret");
    }

    String apiSecretKey() {
        return keys.getProperty("api.secret.key");
    }

    String fernetKey() {
        return keys.getProperty("fernet.key");
    }

    private static String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
