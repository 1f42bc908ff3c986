package dev.userpipeline.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A checksum of a set of user ids that two stores can compute independently: SHA-256 over the ids
 * in canonical text form, sorted, one per line. Equal checksums mean the very same ids.
 */
public final class IdChecksum {

    private IdChecksum() {
    }

    public static String of(Collection<UUID> ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ids.stream().map(UUID::toString).sorted().forEach(id -> {
                sha.update(id.getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) '\n');
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
