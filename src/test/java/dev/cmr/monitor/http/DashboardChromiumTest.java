package dev.cmr.monitor.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.model.ByteTokenizer;
import dev.cmr.model.CmrConfig;
import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Model;
import dev.cmr.model.hooks.HookKind;
import dev.cmr.model.memory.MemoryConfig;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.PerformanceScope;
import dev.cmr.testing.HeadlessChromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser ({@link HeadlessChromium}: the system's chromedriver, and its skip rule), over a
 * server whose monitor watches the reference model (FullCmrModel on the CPU backend) while a thread runs
 * forward passes. The screenshot is saved as {@value #SCREENSHOT}.
 */
class DashboardChromiumTest {
    static final String SCREENSHOT = "target/dashboard-screenshots/dashboard.png";
    static final String HOSTILE = "<img src=x onerror=window.__pwned=1>";
    private static final Gpt2Config CONFIG = new Gpt2Config(ByteTokenizer.VOCAB_SIZE, 64, 32, 4, 4, 1e-5);

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger passes = new AtomicInteger();
    private ChromeDriver driver;
    private CmrPerformanceMonitor monitor;
    private FullCmrModel model;
    private MonitorServer server;
    private Thread passesThread;

    @BeforeEach
    void start() {
        monitor = new CmrPerformanceMonitor(MonitoringConfig.builder().metricCollectionInterval(0.2).build());
        monitor.enableRealTimeMonitoring();
        model = new FullCmrModel(Gpt2Model.seeded(CONFIG, 11), new CmrConfig(Set.of(0, 2), Set.of(1, 3),
                MemoryConfig.builder().maxEntriesPerLayer(1_000).maxTotalEntries(4_000).relevanceThreshold(0.3)
                        .build()));
        model.attach(monitor);
        model.hooks().register(HookKind.LAYER_EXIT, HOSTILE, event -> { });
        try (PerformanceScope scope = monitor.trackPerformance(HOSTILE)) {
            scope.getClass();
        }
        server = MonitorServer.start(monitor, ServerOptions.defaults());
        passesThread = new Thread(this::runPasses, "dashboard-test-passes");
        passesThread.setDaemon(true);
        passesThread.start();

        driver = HeadlessChromium.start(DashboardChromiumTest.class, 1400, 1700);
    }

    /** Forward passes at a steady pace until the test ends; the pace keeps the counts moving between reads. */
    private void runPasses() {
        SplittableRandom random = new SplittableRandom(7);
        while (running.get()) {
            int[] tokens = new int[12];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = random.nextInt(256);
            }
            model.forward(tokens);
            passes.incrementAndGet();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        running.set(false);
        if (driver != null) {
            driver.quit();
        }
        if (passesThread != null) {
            passesThread.join(10_000);
        }
        if (server != null) {
            server.close();
        }
        if (model != null) {
            model.close();
        }
        if (monitor != null) {
            monitor.close();
        }
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }

    private long chartPoints() {
        return (Long) ((JavascriptExecutor) driver).executeScript("return window.cmrDashboard.points");
    }

    @SuppressWarnings("unchecked")
    private List<String> cellTexts(String selector) {
        return (List<String>) ((JavascriptExecutor) driver).executeScript("return Array.from("
                + "document.querySelectorAll(arguments[0])).map(function (e) { return e.textContent; })", selector);
    }

    private long shownForwards() {
        return Long.parseLong((String) ((JavascriptExecutor) driver).executeScript(
                "return document.getElementById('count-forwards').textContent"));
    }

    @Test
    void theDashboardFollowsAMonitoredModelLiveAndShowsHostileNamesAsText() throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        driver.get("http://127.0.0.1:" + server.port() + "/");

        wait.until(d -> chartPoints() >= 5);
        List<WebElement> canvases = driver.findElements(By.cssSelector(".uplot canvas"));
        assertThat(canvases).hasSize(5).allMatch(c -> c.getSize().getWidth() > 0 && c.getSize().getHeight() > 0);

        // The indicator shows what /health reports (read twice around the page's value: health can move).
        wait.until(d -> {
            try {
                String shown = d.findElement(By.id("overall-status")).getText();
                return shown.equals(health().get("status").asText());
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(driver.findElement(By.id("overall-status")).getAttribute("data-status"))
                .isIn("UP", "DEGRADED", "DOWN", "UNKNOWN");
        assertThat(driver.findElements(By.cssSelector("#components .component"))).hasSizeGreaterThan(2);
        assertThat(driver.findElements(By.cssSelector("#layers .layer"))).hasSize(CONFIG.layers());

        long before = shownForwards();
        int passesBefore = passes.get();
        wait.until(d -> passes.get() >= passesBefore + 20 && shownForwards() >= before + 20);

        // Hostile names: shown as text in the hooks and tracked-block tables, and nothing ran.
        // Read in one script: the tables are rebuilt on every update, so an element found earlier may be gone.
        wait.until(d -> !cellTexts("#hooks td.hook-name").isEmpty());
        assertThat(cellTexts("#hooks td.hook-name")).contains(HOSTILE);
        assertThat(cellTexts("#tracked td.tracked-name")).contains(HOSTILE);
        assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(((JavascriptExecutor) driver).executeScript("return typeof window.__pwned")).isEqualTo("undefined");
        // Offline: every resource the page loaded came from this server.
        @SuppressWarnings("unchecked")
        List<String> loaded = (List<String>) ((JavascriptExecutor) driver).executeScript(
                "return performance.getEntriesByType('resource').map(function (e) { return e.name; })");
        assertThat(loaded).isNotEmpty().allMatch(u -> u.startsWith("http://127.0.0.1:" + server.port() + "/"));
        assertThat(HeadlessChromium.severe(driver)).isEmpty();

        Path screenshot = Paths.get(SCREENSHOT);
        Files.createDirectories(screenshot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), screenshot, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
    }
}
