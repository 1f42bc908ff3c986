package dev.userpipeline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets that processes listen on, as the kernel lists them ({@code /proc/net/tcp}, {@code tcp6}), the way
 * {@code ss -ltnp} finds them: each listening socket's inode, matched to the processes holding it.
 */
final class LoopbackListeners {

    /** One listening socket: its address as the kernel shows it, e.g. {@code 127.0.0.1:9092}, and whether it is loopback. */
    record Listener(long pid, String address, boolean loopback) {
    }

    private LoopbackListeners() {
    }

    /** Every socket that one of {@code pids} listens on. */
    static List<Listener> of(List<Long> pids) throws IOException {
        Map<Long, String[]> byInode = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A")) { // TCP_LISTEN
                    byInode.put(Long.parseLong(f[9]), new String[] {f[1], table});
                }
            }
        }
        List<Listener> found = new ArrayList<>();
        for (long pid : pids) {
            Path fds = Path.of("/proc", Long.toString(pid), "fd");
            if (!Files.isDirectory(fds)) {
                continue;
            }
            try (Stream<Path> each = Files.list(fds)) {
                for (Path fd : each.toList()) {
                    String target;
                    try {
                        target = Files.readSymbolicLink(fd).toString();
                    } catch (IOException gone) {
                        continue;
                    }
                    if (target.startsWith("socket:[")) {
                        String[] listening = byInode.get(Long.parseLong(target.substring(8, target.length() - 1)));
                        if (listening != null) {
                            found.add(decode(pid, listening[0]));
                        }
                    }
                }
            }
        }
        return found;
    }

    /** {@code 0100007F:238E} (IPv4, little-endian words) or 32 hex digits of IPv6, then the port. */
    static Listener decode(long pid, String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String ip = parts[0];
        if (ip.length() == 8) {
            long v = Long.parseLong(ip, 16);
            String dotted = (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
            return new Listener(pid, dotted + ":" + port, dotted.startsWith("127."));
        }
        boolean loopback = ip.equals("00000000000000000000000001000000") // ::1
                || (ip.startsWith("0000000000000000FFFF0000") && ip.substring(30, 32).equals("7F")); // ::ffff:127.x.x.x
        return new Listener(pid, "[" + ip + "]:" + port, loopback);
    }
}
