package dev.userpipeline.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds out, before anything starts, whether a port is free, and if not, which process holds it. */
public final class PortCheck {

    private PortCheck() {
    }

    /** True when a server socket can be bound to the address now. */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Refuses the first taken port with a message naming it, its holder and the key that moves it. */
    public static void requireFree(List<PortUse> ports) {
        Map<Integer, PortUse> seen = new HashMap<>();
        for (PortUse use : ports) {
            PortUse other = seen.putIfAbsent(use.port(), use);
            if (other != null) {
                throw new PortInUseException("Port " + use.port() + " is configured twice: for " + other.service() + " "
                        + other.purpose() + " (" + other.setting().key() + ") and for " + use.service() + " " + use.purpose()
                        + " (" + use.setting().key() + "). Give one of them another port with "
                        + use.setting().howToChange("PORT") + ".");
            }
        }
        for (PortUse use : ports) {
            if (!isFree(use.host(), use.port())) {
                String holder = holderOf(use.port()).map(h -> ", held by " + h).orElse("");
                int[] range = ephemeralRange();
                String ephemeral = use.port() >= range[0] && use.port() <= range[1]
                        ? " Port " + use.port() + " is in this machine's ephemeral range " + range[0] + "-" + range[1]
                                + " (net.ipv4.ip_local_port_range), which the kernel hands to outgoing connections;"
                                + " a port below " + range[0] + " is never taken that way."
                        : "";
                throw new PortInUseException("Port " + use.port() + " on " + use.host() + " (" + use.service() + " "
                        + use.purpose() + ") is already in use" + holder + ". Stop that process, or give "
                        + use.service() + " another port with " + use.setting().howToChange("PORT") + "." + ephemeral);
            }
        }
    }

    /**
     * The process holding a TCP port, as {@code pid 1234 (command line)}, where /proc tells: the one listening
     * on it, or else one with a live connection whose local end is that port, which also keeps a listener from
     * binding it (the kernel gives such ports, from its ephemeral range, to outgoing connections).
     */
    public static Optional<String> holderOf(int port) {
        Map<String, Boolean> sockets = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            sockets.putAll(socketsOn(Path.of(table), port));
        }
        if (sockets.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> listener = processWith(sockets, true);
        if (listener.isPresent()) {
            return listener;
        }
        return Optional.of(processWith(sockets, false).orElse("a process this user cannot see")
                + ", as the local end of an outgoing connection");
    }

    /** The first process owning one of {@code sockets} (inode to whether it listens) that listens or not. */
    private static Optional<String> processWith(Map<String, Boolean> sockets, boolean listening) {
        Set<String> inodes = new HashSet<>();
        sockets.forEach((inode, listens) -> {
            if (listens == listening) {
                inodes.add(inode);
            }
        });
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        String link = Files.readSymbolicLink(fd).toString();
                        if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
                            return Optional.of("pid " + proc.getFileName() + " (" + commandLine(proc) + ")");
                        }
                    }
                } catch (IOException | SecurityException unreadable) {
                    // Another user's process, or one that just ended: its sockets are not ours to see.
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return listening ? Optional.of("a process this user cannot see") : Optional.empty();
    }

    /** Sockets whose local end is {@code port}, inode to whether they listen; TIME_WAIT ones hold nothing. */
    static Map<String, Boolean> socketsOn(Path table, int port) {
        Map<String, Boolean> sockets = new HashMap<>();
        String portHex = String.format(Locale.ROOT, "%04X", port);
        try {
            for (String line : Files.readAllLines(table, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ... inode; state 0A is LISTEN, 06 TIME_WAIT (inode 0).
                if (f.length > 9 && f[1].endsWith(":" + portHex) && !f[3].equals("06") && !f[9].equals("0")) {
                    sockets.merge(f[9], f[3].equals("0A"), Boolean::logicalOr);
                }
            }
        } catch (IOException e) {
            // No such table (e.g. IPv6 disabled): nothing uses the port there.
        }
        return sockets;
    }

    /** The kernel's range of ports for outgoing connections; Linux's default where it cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] f = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    private static String commandLine(Path proc) {
        try {
            String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            return cmd.length() > 120 ? cmd.substring(0, 117) + "..." : cmd;
        } catch (IOException e) {
            return "?";
        }
    }
}
