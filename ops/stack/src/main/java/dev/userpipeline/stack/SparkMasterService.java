package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.spark.SparkSettings;
import java.nio.file.Path;
import java.util.List;

/** The Spark standalone master ({@code up --spark-cluster}): the job is submitted to it. */
final class SparkMasterService extends SparkProcessService {

    SparkMasterService(Settings settings, Path home, Path root) {
        super(settings, home, root);
    }

    /** Only with {@code --spark-cluster}, and only when the job runs. */
    @Override
    public boolean enabled() {
        return standaloneCluster();
    }

    @Override
    public String name() {
        return "spark-master";
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "master", host, settings.get(SparkSettings.MASTER_PORT), SparkSettings.MASTER_PORT),
                new PortUse(name(), "web UI", host, settings.get(SparkSettings.MASTER_UI_PORT), SparkSettings.MASTER_UI_PORT));
    }

    @Override
    public String address() {
        return masterUrl() + " (UI http://" + host + ":" + settings.get(SparkSettings.MASTER_UI_PORT) + ")";
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand("org.apache.spark.deploy.master.Master", List.of("-Xmx512m"), List.of(
                "--host", host,
                "--port", Integer.toString(settings.get(SparkSettings.MASTER_PORT)),
                "--webui-port", Integer.toString(settings.get(SparkSettings.MASTER_UI_PORT))));
    }

    @Override
    public String check() throws Exception {
        JsonNode state = masterState();
        if (!state.path("status").asText().equals("ALIVE")) {
            throw new IllegalStateException("master is " + state.path("status").asText());
        }
        return "Spark master ALIVE, " + state.path("aliveworkers").asInt() + " worker(s), "
                + state.path("activeapps").size() + " running app(s)";
    }
}
