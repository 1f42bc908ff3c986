package dev.userpipeline.console;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@code Host} headers the console answers. A page on any web site can make a browser call a name that
 * its owner points at 127.0.0.1 (DNS rebinding) and read the answers as its own; the header still carries that
 * name, so answering only loopback's names, the address the console listens on and names allowed by setting
 * keeps such pages out.
 */
final class HostCheck {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final Set<String> allowed = new HashSet<>(LOOPBACK);

    HostCheck(String listenHost, List<String> extra) {
        if (listenHost != null && !listenHost.isBlank() && !listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
            allowed.add(listenHost.toLowerCase(Locale.ROOT));
        }
        extra.forEach(name -> allowed.add(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether a request with this {@code Host} header (name, optionally with a port) is answered. */
    boolean allows(String header) {
        if (header == null || header.isBlank()) {
            // HTTP/1.0 clients send none; a browser always does.
            return true;
        }
        String host = header.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && allowed.contains(host.substring(0, end + 1));
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            String port = host.substring(colon + 1);
            if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
                return false;
            }
            host = host.substring(0, colon);
        }
        return allowed.contains(host);
    }
}
