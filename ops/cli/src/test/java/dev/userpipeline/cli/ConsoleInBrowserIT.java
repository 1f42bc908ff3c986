package dev.userpipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.userpipeline.services.postgres.PostgresSettings;
import dev.userpipeline.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as a person sees it: Debian's Chromium, headless, driven by its chromedriver, against the console of the
 * cli module's stack (without Airflow) holding users that were delivered and one the Spark job rejected.
 */
class ConsoleInBrowserIT {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String BATCH = "seed-browser-it";
    static final Duration WAIT = Duration.ofSeconds(90);
    /** What the run looked like, for people (the README's screenshot is one of these). */
    static final Path SCREENSHOT = CliStack.ROOT.resolve("ops/cli/target/console-in-browser.png");

    static WebDriver browser;
    static String delivered;
    static String rejected;

    @BeforeAll
    static void aStackWithDeliveredAndRejectedUsersAndABrowser() throws Exception {
        assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run installs them)").isExecutable();
        assertThat(CHROMEDRIVER).as("Debian's chromium-driver (apt-get install chromium chromium-driver; .ci/run installs them)").isExecutable();
        CliRun.of(command("down", "--purge"));
        CliRun up = CliRun.of(command("up", "--detach"));
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        CliRun ingest = CliRun.of(command("ingest", "--count", "2000", "--seed", "browser-it"));
        assertThat(ingest.exitCode()).as(ingest.err()).isZero();

        var settings = Stack.runningSettings(new String[] {"--home=" + CliStack.HOME}, Map.of());
        rejected = UUID.randomUUID().toString();
        try (Connection postgres = DriverManager.getConnection(PostgresSettings.jdbcUrl(settings), PostgresSettings.login(settings, Duration.ofSeconds(30)));
                Statement statement = postgres.createStatement()) {
            try (ResultSet one = statement.executeQuery("select id from ingest.users_raw where batch_id = '" + BATCH + "' order by id limit 1")) {
                one.next();
                delivered = one.getString(1);
            }
            // A user of the batch under a new id, with an email the job refuses.
            statement.executeUpdate("insert into ingest.users_raw (id, payload, batch_id, source, fetched_at) select '" + rejected
                    + "', jsonb_set(jsonb_set(payload, '{email}', '\"nobody-at-example.com\"'), '{login,uuid}', '\"" + rejected
                    + "\"'), 'browser-it-rejected', source, now() from ingest.users_raw where id = '" + delivered + "'");
        }
        CliRun awaited = CliRun.of(command("await-delivery", "--batch-id", BATCH, "--timeout", "180"));
        assertThat(awaited.exitCode()).as(awaited.out() + awaited.err()).isZero();

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,3000");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.get("http://127.0.0.1:" + CliStack.CONSOLE_PORT + "/");
    }

    @AfterAll
    static void closeBrowserAndStack() throws Exception {
        try {
            if (browser != null) {
                Files.createDirectories(SCREENSHOT.getParent());
                Files.write(SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
                browser.quit();
            }
        } finally {
            CliRun.of(command("down"));
        }
    }

    static String[] command(String... command) {
        return CliStack.command(List.of("--airflow-enabled", "false"), command).toArray(String[]::new);
    }

    static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT, Duration.ofMillis(500));
    }

    @Test
    void theFlowRendersEveryStageWithItsCounts() {
        waiting().until(b -> b.findElements(By.cssSelector("#flow .stage")).size() == 7);
        waiting().until(b -> b.findElement(By.id("summary")).getText().matches("\\d+ of \\d+ services healthy.*"));
        List<WebElement> stages = browser.findElements(By.cssSelector("#flow .stage"));
        assertThat(stages.get(0).getText()).contains("Source");
        assertThat(stages.get(2).getText()).contains("Landing: PostgreSQL", "landed");
        assertThat(stages.get(5).getText()).contains("Spark Structured Streaming", "written to Cassandra", "dead letters");
        long landed = Long.parseLong(stages.get(2).findElement(By.cssSelector(".count")).getText().replace(",", ""));
        assertThat(landed).isGreaterThanOrEqualTo(2_001);
    }

    @Test
    void theChartsDrawTheFlowOverTime() {
        // Two samples make a rate; the page redraws its charts at every refresh.
        Object points = waiting().until(b -> {
            Object n = ((ChromeDriver) b).executeScript(
                    "const p = typeof plots === 'undefined' ? null : plots['chart-rates'];"
                            + "return p && p.plot.data[0].length >= 2 && p.plot.data.slice(1).some(s => s.some(v => v !== null)) ? p.plot.data[0].length : null;");
            return n;
        });
        assertThat(((Number) points).intValue()).isGreaterThanOrEqualTo(2);
        for (String chart : List.of("chart-rates", "chart-lag", "chart-slot", "chart-latency")) {
            assertThat(browser.findElements(By.cssSelector("#" + chart + " canvas"))).as(chart + " draws on a canvas").isNotEmpty();
        }
        Object lagSeries = ((ChromeDriver) browser).executeScript("return plots['chart-lag'].plot.series.map(s => s.label).slice(1).join('|');");
        assertThat(String.valueOf(lagSeries)).contains("all partitions", "partition 0");
    }

    @Test
    void theTraceOfAUserJustIngestedShowsEveryStage() {
        WebElement input = browser.findElement(By.id("trace-user"));
        input.clear();
        input.sendKeys(delivered);
        browser.findElement(By.cssSelector("#trace-form button")).click();

        waiting().until(b -> !b.findElements(By.cssSelector("#trace .outcome.delivered")).isEmpty());
        List<String> steps = browser.findElements(By.cssSelector("#trace .timeline .step .name")).stream().map(WebElement::getText).toList();
        assertThat(steps).containsExactly("fetched", "landed", "published", "written");
        assertThat(browser.findElement(By.id("trace")).getText()).contains(delivered + ": delivered", "users_created partition", "end to end");
    }

    @Test
    void theDeadLetterShowsWithItsReasonAndInTheTopicBrowser() {
        waiting().until(b -> b.findElement(By.id("dead-letters")).getText().contains("email is not an address"));
        assertThat(browser.findElement(By.id("dead-letters")).getText()).contains(rejected, "nobody-at-example.com");

        WebElement dlq = waiting().until(b -> b.findElements(By.cssSelector("#topics tr[data-topic='users_created.dlq'] button.browse"))
                .stream().findFirst().orElse(null));
        dlq.click();
        waiting().until(b -> !b.findElements(By.cssSelector("#messages details.message")).isEmpty());
        WebElement letter = browser.findElements(By.cssSelector("#messages details.message")).stream()
                .filter(m -> m.getText().contains(rejected)).findFirst().orElseThrow();
        letter.findElement(By.tagName("summary")).click();
        assertThat(letter.findElement(By.cssSelector("pre.value")).getText()).contains("\"reason\"", "email is not an address: nobody-at-example.com");
    }

    @Test
    void aConnectorRestartedFromThePageRunsAgain() {
        WebElement restart = waiting().until(b -> b.findElements(By.cssSelector("#connectors tr[data-connector='users-created'] button.restart"))
                .stream().findFirst().orElse(null));
        restart.click();

        waiting().until(b -> b.findElement(By.id("connect-result")).getText().contains("restart of users-created accepted by Connect"));
        waiting().until(b -> b.findElements(By.cssSelector("#connectors tr[data-connector='users-created'] .connector-state")).stream()
                .anyMatch(s -> s.getText().equals("RUNNING")));
    }
}
