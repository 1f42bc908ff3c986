package dev.userpipeline.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.userpipeline.config.Settings;
import dev.userpipeline.services.spark.SparkHome;
import dev.userpipeline.services.spark.SparkSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A process of Spark's own (master, worker, spark-submit) run from the Maven jars of platform/spark. */
abstract class SparkProcessService extends JavaModuleService {

    private static final Object HOME_LOCK = new Object();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    protected final Settings settings;
    protected final String host;
    protected final SparkHome sparkHome;

    SparkProcessService(Settings settings, Path home, Path root) {
        super(root, home, "platform/spark");
        this.settings = settings;
        this.host = settings.get(SparkSettings.HOST);
        this.sparkHome = new SparkHome(home.resolve("spark/home"));
    }

    /** The job runs on Spark's standalone master and worker rather than in its own JVM. */
    boolean standaloneCluster() {
        return settings.get(SparkSettings.JOB) && settings.get(SparkSettings.CLUSTER);
    }

    /** Links Spark's jars into the SPARK_HOME the worker needs (services may prepare it concurrently). */
    @Override
    public void prepare(Path log) throws Exception {
        List<Path> jars = module().classpath().stream().map(Path::of).toList();
        synchronized (HOME_LOCK) {
            sparkHome.create(jars, module().dependencyVersion("spark-core_2.13").orElse("unknown"));
        }
    }

    @Override
    public Map<String, String> environment() {
        return sparkHome.environment(host);
    }

    /** The standalone master's state, as its web UI serves it at {@code /json/}. */
    JsonNode masterState() throws Exception {
        URI uri = URI.create("http://" + host + ":" + settings.get(SparkSettings.MASTER_UI_PORT) + "/json/");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " gave HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    String masterUrl() {
        return SparkSettings.masterUrl(host, settings.get(SparkSettings.MASTER_PORT));
    }
}
