package dev.userpipeline.stream;

import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Upserts each micro-batch into one Cassandra table through the Spark Cassandra connector. */
final class CassandraTableWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final long serialVersionUID = 1L;

    private final String keyspace;
    private final String table;

    CassandraTableWriter(String keyspace, String table) {
        this.keyspace = keyspace;
        this.table = table;
    }

    static void write(Dataset<Row> rows, String keyspace, String table) {
        rows.write()
                .format("org.apache.spark.sql.cassandra")
                .option("keyspace", keyspace)
                .option("table", table)
                .mode(SaveMode.Append)
                .save();
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        write(batch, keyspace, table);
    }
}
