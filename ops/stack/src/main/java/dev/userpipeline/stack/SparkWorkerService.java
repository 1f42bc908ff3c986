package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.spark.SparkSettings;
import java.nio.file.Path;
import java.util.List;

/** One Spark standalone worker: it runs the job's executors. */
final class SparkWorkerService extends SparkProcessService {

    SparkWorkerService(Settings settings, Path home, Path root) {
        super(settings, home, root);
    }

    /** Only with {@code --spark-cluster}, and only when the job runs. */
    @Override
    public boolean enabled() {
        return standaloneCluster();
    }

    @Override
    public String name() {
        return "spark-worker";
    }

    @Override
    public List<String> dependsOn() {
        return List.of("spark-master");
    }

    @Override
    public List<PortUse> ports() {
        return List.of(new PortUse(name(), "web UI", host, settings.get(SparkSettings.WORKER_UI_PORT), SparkSettings.WORKER_UI_PORT));
    }

    @Override
    public String address() {
        return "http://" + host + ":" + settings.get(SparkSettings.WORKER_UI_PORT);
    }

    @Override
    public List<String> command() throws Exception {
        return javaCommand("org.apache.spark.deploy.worker.Worker", List.of("-Xmx512m"), List.of(
                "--host", host,
                "--cores", Integer.toString(settings.get(SparkSettings.WORKER_CORES)),
                "--memory", settings.get(SparkSettings.WORKER_MEMORY),
                "--webui-port", Integer.toString(settings.get(SparkSettings.WORKER_UI_PORT)),
                "--work-dir", sparkHome.dir().resolve("work").toString(),
                masterUrl()));
    }

    /** Healthy once the master lists this worker (by its UI port) as alive. */
    @Override
    public String check() throws Exception {
        String ui = ":" + settings.get(SparkSettings.WORKER_UI_PORT);
        for (JsonNode worker : masterState().path("workers")) {
            if (worker.path("webuiaddress").asText().endsWith(ui) && worker.path("state").asText().equals("ALIVE")) {
                return "registered with " + masterUrl() + ": " + worker.path("coresused").asInt() + "/"
                        + worker.path("cores").asInt() + " cores, " + worker.path("memoryused").asInt() + "/"
                        + worker.path("memory").asInt() + " MiB used";
            }
        }
        throw new IllegalStateException("not registered with " + masterUrl() + " yet");
    }
}
