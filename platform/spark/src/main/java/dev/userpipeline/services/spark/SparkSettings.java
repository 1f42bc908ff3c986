package dev.userpipeline.services.spark;

import dev.userpipeline.config.Setting;
import java.util.List;

/** Every key of the Spark processes: the standalone cluster and the job's driver. */
public final class SparkSettings {

    public static final Setting<Boolean> JOB = Setting.bool("spark.job", true,
            "Run the Spark job as part of the stack (false when it is submitted elsewhere, e.g. to a real cluster)");
    public static final Setting<Boolean> CLUSTER = Setting.bool("spark.cluster", false,
            "Run the job on a Spark standalone master and worker started by up, instead of in local mode");
    public static final Setting<String> LOCAL_MASTER = Setting.string("spark.local.master", "local[2]",
            "Spark master of the job when it runs in local mode (local[N]: N worker threads in the driver)");
    public static final Setting<String> HOST = Setting.string("spark.host", "127.0.0.1",
            "Address the Spark master, worker and driver bind to and advertise");
    public static final Setting<Integer> MASTER_PORT = Setting.port("spark.master.port", 7077,
            "Port of the Spark standalone master");
    public static final Setting<Integer> MASTER_UI_PORT = Setting.port("spark.master.ui.port", 9090,
            "Port of the Spark master's web UI");
    public static final Setting<Integer> WORKER_UI_PORT = Setting.port("spark.worker.ui.port", 8081,
            "Port of the Spark worker's web UI");
    public static final Setting<Integer> WORKER_CORES = Setting.integer("spark.worker.cores", 2, 1, 1024,
            "Cores the worker offers to executors");
    public static final Setting<String> WORKER_MEMORY = Setting.string("spark.worker.memory", "2g",
            "Memory the worker offers to executors (e.g. 2g)");
    public static final Setting<String> EXECUTOR_MEMORY = Setting.string("spark.executor.memory", "1536m",
            "Heap of each executor on the cluster");
    public static final Setting<String> DRIVER_MEMORY = Setting.string("spark.driver.memory", "2g",
            "Heap of the job's driver (in local mode the executors run inside it)");

    public static final Setting<List<String>> CONF = Setting.list("spark.conf", "",
            "Extra Spark properties of the job, key=value separated by commas (each becomes a spark-submit --conf)");

    public static final List<Setting<?>> ALL = List.of(JOB, CLUSTER, LOCAL_MASTER, HOST, MASTER_PORT, MASTER_UI_PORT,
            WORKER_UI_PORT, WORKER_CORES, WORKER_MEMORY, EXECUTOR_MEMORY, DRIVER_MEMORY, CONF);

    private SparkSettings() {
    }

    /** The master URL of the standalone cluster, e.g. {@code spark://127.0.0.1:7077}. */
    public static String masterUrl(String host, int port) {
        return "spark://" + host + ":" + port;
    }
}
