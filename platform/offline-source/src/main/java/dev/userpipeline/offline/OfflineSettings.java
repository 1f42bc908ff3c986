package dev.userpipeline.offline;

import dev.userpipeline.config.Setting;
import java.util.List;

/** Every key the offline source reads. */
public final class OfflineSettings {

    public static final Setting<String> HOST = Setting.string("offline.host", "127.0.0.1",
            "Address the offline randomuser-compatible source listens on");
    public static final Setting<Integer> PORT = Setting.port("offline.port", 8099,
            "Port of the offline randomuser-compatible source");
    public static final Setting<Integer> THREADS = Setting.integer("offline.threads", 2, 1, 64,
            "Requests the offline source answers at once");

    public static final List<Setting<?>> ALL = List.of(HOST, PORT, THREADS);

    private OfflineSettings() {
    }

    /** The API base URL of an offline source at this address. */
    public static String apiUrl(String host, int port) {
        return "http://" + host + ":" + port + "/api/";
    }
}
