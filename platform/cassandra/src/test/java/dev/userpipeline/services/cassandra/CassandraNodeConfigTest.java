package dev.userpipeline.services.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.config.Settings;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CassandraNodeConfigTest {

    @Test
    void theNodeListensWhereConfiguredAndKeepsItsFilesInItsDataDirectory(@TempDir Path dir) {
        Settings settings = Settings.of(CassandraSettings.ALL)
                .args("--cassandra-data-dir=" + dir, "--cassandra-port=19042", "--cassandra-storage-port=17000")
                .resolve();
        String yaml = CassandraNodeConfig.yaml(settings);

        assertThat(yaml).contains(
                "native_transport_port: 19042",
                "storage_port: 17000",
                "seeds: \"127.0.0.1:17000\"",
                "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1",
                "commitlog_directory: " + dir.resolve("commitlog"),
                "hints_directory: " + dir.resolve("hints"),
                "  - " + dir.resolve("data"),
                "cluster_name: 'pipeline'",
                "endpoint_snitch: SimpleSnitch");
    }

    @Test
    void aQuoteInTheClusterNameIsEscapedForYaml(@TempDir Path dir) {
        Settings settings = Settings.of(CassandraSettings.ALL)
                .args("--cassandra-data-dir=" + dir, "--cassandra-cluster-name=Bob's cluster").resolve();
        assertThat(CassandraNodeConfig.yaml(settings)).contains("cluster_name: 'Bob''s cluster'");
    }

    @Test
    void theCommitLogSyncIsChosenBySettingAndAnUnknownModeIsRefusedByName(@TempDir Path dir) {
        assertThat(CassandraNodeConfig.yaml(Settings.of(CassandraSettings.ALL).args("--cassandra-data-dir=" + dir).resolve()))
                .contains("commitlog_sync: group\ncommitlog_sync_group_window: 10ms").doesNotContain("periodic");
        assertThat(CassandraNodeConfig.yaml(Settings.of(CassandraSettings.ALL)
                .args("--cassandra-data-dir=" + dir, "--cassandra-commitlog-sync=Periodic").resolve()))
                .contains("commitlog_sync: periodic\ncommitlog_sync_period: 10000ms").doesNotContain("group");
        assertThat(CassandraNodeConfig.yaml(Settings.of(CassandraSettings.ALL)
                .args("--cassandra-data-dir=" + dir, "--cassandra-commitlog-sync=batch").resolve()))
                .contains("commitlog_sync: batch\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Settings.of(CassandraSettings.ALL)
                .args("--cassandra-commitlog-sync=sometimes").resolve())
                .hasMessageContaining("cassandra.commitlog.sync").hasMessageContaining("sometimes")
                .hasMessageContaining("one of group, batch, periodic");
    }

    @Test
    void theLogDatePatternHasNoCommaThatLogbackWouldSplitOn() {
        Matcher date = Pattern.compile("%date\\{([^}]*)\\}").matcher(CassandraNodeConfig.logback());
        assertThat(date.find()).isTrue();
        assertThat(date.group(1)).doesNotContain(",");
    }
}
