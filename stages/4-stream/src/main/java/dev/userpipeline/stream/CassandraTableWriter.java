package dev.userpipeline.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/** Upserts rows into one Cassandra table through the Spark Cassandra connector. */
final class CassandraTableWriter {

    private CassandraTableWriter() {
    }

    static void write(Dataset<Row> rows, String keyspace, String table) {
        rows.write()
                .format("org.apache.spark.sql.cassandra")
                .option("keyspace", keyspace)
                .option("table", table)
                .mode(SaveMode.Append)
                .save();
    }
}
