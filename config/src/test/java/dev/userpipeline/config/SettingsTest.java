package dev.userpipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    static final Setting<Integer> PORT = Setting.port("kafka.port", 9092, "Broker port");
    static final Setting<String> HOST = Setting.string("kafka.host", "127.0.0.1", "Broker host");
    static final Setting<Path> DIR = Setting.path("kafka.data.dir", null, "Data directory");
    static final List<Setting<?>> ALL = List.of(PORT, HOST, DIR);

    @Test
    void namesItsFlagAndEnvironmentVariable() {
        assertThat(PORT.flag()).isEqualTo("--kafka-port");
        assertThat(PORT.env()).isEqualTo("PIPELINE_KAFKA_PORT");
        assertThat(DIR.env()).isEqualTo("PIPELINE_KAFKA_DATA_DIR");
        assertThat(PORT.howToChange("N")).isEqualTo("--kafka-port N or PIPELINE_KAFKA_PORT=N");
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsSavedValuesWhichBeatDefaults() {
        Settings settings = Settings.of(ALL)
                .saved(Map.of("kafka.port", "1111", "kafka.host", "saved-host"), "saved")
                .env(Map.of("PIPELINE_KAFKA_PORT", "2222", "PIPELINE_KAFKA_DATA_DIR", "/env/dir"))
                .args("--kafka-port=3333")
                .resolve();
        assertThat(settings.get(PORT)).isEqualTo(3333);
        assertThat(settings.origin(PORT)).isEqualTo("flag --kafka-port");
        assertThat(settings.get(HOST)).isEqualTo("saved-host");
        assertThat(settings.origin(HOST)).isEqualTo("saved");
        assertThat(settings.get(DIR)).isEqualTo(Path.of("/env/dir"));
        assertThat(settings.origin(DIR)).isEqualTo("environment PIPELINE_KAFKA_DATA_DIR");
    }

    @Test
    void defaultsApplyWhenNothingElseSaysAnything() {
        Settings settings = Settings.of(ALL).defaultValue(DIR, Path.of("/checkout/.pipeline")).resolve();
        assertThat(settings.get(PORT)).isEqualTo(9092);
        assertThat(settings.get(DIR)).isEqualTo(Path.of("/checkout/.pipeline"));
        assertThat(settings.origin(PORT)).isEqualTo("default");
    }

    @Test
    void argumentsMayGiveTheValueAsTheNextWord() {
        Settings settings = Settings.of(ALL).args("--kafka-host", "broker-1", "--kafka-data-dir", "/d").resolve();
        assertThat(settings.get(HOST)).isEqualTo("broker-1");
        assertThat(settings.get(DIR)).isEqualTo(Path.of("/d"));
    }

    @Test
    void aBadValueNamesTheKeyTheValueItsOriginAndTheFix() {
        assertThatThrownBy(() -> Settings.of(ALL).env(Map.of("PIPELINE_KAFKA_PORT", "90x2")).resolve())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'90x2'")
                .hasMessageContaining("kafka.port")
                .hasMessageContaining("environment PIPELINE_KAFKA_PORT")
                .hasMessageContaining("a TCP port from 1 to 65535")
                .hasMessageContaining("--kafka-port VALUE or PIPELINE_KAFKA_PORT=VALUE");
        assertThatThrownBy(() -> Settings.of(ALL).args("--kafka-port=70000").resolve())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("'70000'");
    }

    @Test
    void aSwitchReadsTrueAndFalseInTheUsualSpellings() {
        Setting<Boolean> cluster = Setting.bool("spark.cluster", false, "Cluster");
        assertThat(cluster.parse("true", "test")).isTrue();
        assertThat(cluster.parse(" YES ", "test")).isTrue();
        assertThat(cluster.parse("0", "test")).isFalse();
        assertThat(Settings.of(List.of(cluster)).resolve().get(cluster)).isFalse();
        assertThatThrownBy(() -> cluster.parse("maybe", "test"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("expected true or false");
    }

    @Test
    void aListMayBeEmpty() {
        Setting<List<String>> conf = Setting.list("spark.conf", "", "Extra properties");
        assertThat(Settings.of(List.of(conf)).resolve().get(conf)).isEmpty();
        assertThat(conf.parse(" a=1 , b=2,", "test")).containsExactly("a=1", "b=2");
    }

    @Test
    void unknownArgumentsAndKeysAreRefused() {
        assertThatThrownBy(() -> Settings.of(ALL).args("--kafka-prot=1"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("--kafka-prot")
                .hasMessageContaining("--kafka-port");
        assertThatThrownBy(() -> Settings.of(ALL).setAll(Map.of("kafka.prot", "1")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("kafka.prot");
        assertThatThrownBy(() -> Settings.of(ALL).args("--kafka-port"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void aKeyWithoutDefaultMustBeGivenBeforeUse() {
        Settings settings = Settings.of(ALL).resolve();
        assertThatThrownBy(() -> settings.get(DIR))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("PIPELINE_KAFKA_DATA_DIR");
    }

    @Test
    void savedValuesRoundTripThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/settings.properties");
        Settings.of(ALL).args("--kafka-port=19092").resolve().save(file);
        assertThat(Files.exists(file)).isTrue();
        Map<String, String> saved = Settings.load(file);
        assertThat(saved).containsEntry("kafka.port", "19092").containsEntry("kafka.host", "127.0.0.1");
        assertThat(Settings.load(dir.resolve("absent.properties"))).isEmpty();
    }

    @Test
    void keysAreDottedLowerCaseWords() {
        assertThatThrownBy(() -> Setting.string("Kafka_Port", "x", "bad"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anAddressListTakesHostPortPairsAndRefusesAnythingElse() {
        Setting<String> kafka = ServiceAddresses.KAFKA;
        assertThat(kafka.parse("k1:9092, k2.example:9093", "test")).isEqualTo("k1:9092,k2.example:9093");
        assertThat(ServiceAddresses.hosts("k1:9092,k2:9093")).containsExactly("k1", "k2");
        assertThat(ServiceAddresses.firstPort("k1:9092,k2:9093")).isEqualTo(9092);
        for (String bad : new String[] {"k1", "k1:port", "k1:99999", "k1:9092,", ":9092"}) {
            assertThatThrownBy(() -> kafka.parse(bad, "environment PIPELINE_KAFKA_BOOTSTRAP_SERVERS"))
                    .as(bad).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("host:port");
        }
    }

    @Test
    void aProcessResolvesItsKeysFromItsEnvironmentAndPrintsThemWithSecretsHidden() {
        Setting<String> password = Setting.secret("db.password", "pipeline", "a password");
        Setting<Integer> port = Setting.port("db.port", 5432, "a port");
        Settings settings = ProcessSettings.resolve(java.util.List.of(port, password),
                java.util.Map.of("PIPELINE_DB_PORT", "15432", "PIPELINE_DB_PASSWORD", "s3cret"), "--db-port=25432");
        assertThat(settings.get(port)).isEqualTo(25432);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ProcessSettings.print(settings, new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8));
        String printed = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(printed).contains("db.port=25432", "db.password=***sha256:").doesNotContain("s3cret");
        assertThat(ProcessSettings.shown(password, "s3cret")).isEqualTo(ProcessSettings.shown(password, "s3cret"))
                .isNotEqualTo(ProcessSettings.shown(password, "other"));
    }

    @Test
    void aDerivedValueReplacesOnlyADefaultAndIsNotSaved(@TempDir Path dir) throws Exception {
        Setting<String> address = Setting.addresses("svc.address", "127.0.0.1:1", "an address");
        Settings derived = Settings.of(java.util.List.of(address)).resolve().derive(address, "127.0.0.1:2", "derived");
        assertThat(derived.get(address)).isEqualTo("127.0.0.1:2");
        Settings given = Settings.of(java.util.List.of(address)).args("--svc-address=h:3").resolve().derive(address, "127.0.0.1:2", "derived");
        assertThat(given.get(address)).isEqualTo("h:3");
        derived.save(dir.resolve("s.properties"));
        assertThat(Settings.load(dir.resolve("s.properties"))).doesNotContainKey("svc.address");
    }
}
