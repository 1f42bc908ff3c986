package dev.userpipeline.stack;

import dev.userpipeline.config.Setting;

/** A port a service listens on, and the key that moves it. */
public record PortUse(String service, String purpose, String host, int port, Setting<Integer> setting) {

    public String address() {
        return host + ":" + port;
    }
}
