package dev.userpipeline.ingest;

import dev.userpipeline.config.Settings;
import dev.userpipeline.offline.OfflineSettings;
import dev.userpipeline.source.RandomUserClient;
import dev.userpipeline.source.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Which API ingestion talks to, and why: {@code randomuser} is randomuser.me, {@code offline} the
 * offline randomuser-compatible source of the stack, a URL any server that speaks the API, and
 * {@code auto} randomuser.me if it answers now, else the offline source.
 */
public record SourceChoice(URI url, String label, String reason) {

    public static SourceChoice resolve(Settings settings) {
        String source = settings.get(IngestSettings.SOURCE).trim();
        URI offline = URI.create(OfflineSettings.apiUrl(settings.get(OfflineSettings.HOST), settings.get(OfflineSettings.PORT)));
        switch (source.toLowerCase(Locale.ROOT)) {
            case "randomuser":
                return new SourceChoice(RandomUserClient.RANDOMUSER_ME, "randomuser", "asked for randomuser.me");
            case "offline":
                return new SourceChoice(offline, "offline", "asked for the offline source");
            case "auto":
                RandomUserClient probe = new RandomUserClient(RandomUserClient.RANDOMUSER_ME, Duration.ofSeconds(3),
                        Duration.ofSeconds(5), new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
                if (probe.answers()) {
                    return new SourceChoice(RandomUserClient.RANDOMUSER_ME, "randomuser", "randomuser.me answered");
                }
                return new SourceChoice(offline, "offline", "randomuser.me did not answer, so the offline source is used");
            default:
                URI url;
                try {
                    url = URI.create(source);
                } catch (IllegalArgumentException e) {
                    url = null;
                }
                if (url == null || url.getScheme() == null || !url.getScheme().startsWith("http")) {
                    throw new dev.userpipeline.config.InvalidSettingException("ingest.source '" + source
                            + "' is none of randomuser, offline, auto or an http(s) URL. Set it with "
                            + IngestSettings.SOURCE.howToChange("SOURCE") + ".");
                }
                return new SourceChoice(url, url.getHost(), "asked for " + url);
        }
    }

    public RandomUserClient client(Settings settings) {
        RetryPolicy retry = new RetryPolicy(settings.get(IngestSettings.ATTEMPTS), RetryPolicy.DEFAULT.initialBackoff(),
                RetryPolicy.DEFAULT.maxBackoff(), RetryPolicy.DEFAULT.maxRetryAfter(),
                Duration.ofSeconds(settings.get(IngestSettings.RATE_LIMIT_WINDOW)));
        return new RandomUserClient(url, Duration.ofSeconds(settings.get(IngestSettings.CONNECT_TIMEOUT)),
                Duration.ofSeconds(settings.get(IngestSettings.READ_TIMEOUT)), retry,
                (long) settings.get(IngestSettings.MAX_ANSWER_MB) << 20);
    }

    public String describe() {
        return label + " at " + url + " (" + reason + ")";
    }
}
