package dev.userpipeline.stream;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * What one micro-batch adds to the job's counts: the users it accepted per country and minute of landing time, and
 * how many records it wrote in all and as dead letters. Read from the few rows of {@link UserRecords#counts}.
 */
record BatchCounts(Map<Minute, Long> signups, long users, long deadLetters) {

    /** A country and a minute of landing time: a row of {@code signups_per_minute}. */
    record Minute(String country, Instant minute) implements Comparable<Minute> {
        @Override
        public int compareTo(Minute other) {
            int byCountry = country.compareTo(other.country);
            return byCountry != 0 ? byCountry : minute.compareTo(other.minute);
        }
    }

    static BatchCounts of(List<Row> rows) {
        Map<Minute, Long> signups = new TreeMap<>();
        long users = 0;
        long deadLetters = 0;
        for (Row row : rows) {
            long accepted = row.getLong(row.fieldIndex("users"));
            deadLetters += row.getLong(row.fieldIndex("dead_letters"));
            if (accepted > 0) {
                java.sql.Timestamp minute = row.getTimestamp(row.fieldIndex("minute"));
                signups.merge(new Minute(row.getString(row.fieldIndex("country")), minute.toInstant()), accepted, Long::sum);
                users += accepted;
            }
        }
        return new BatchCounts(Collections.unmodifiableMap(signups), users, deadLetters);
    }

    boolean isEmpty() {
        return users == 0 && deadLetters == 0;
    }
}
