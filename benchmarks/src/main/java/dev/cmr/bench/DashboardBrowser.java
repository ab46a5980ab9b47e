package dev.cmr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard open in headless Chromium (the system's {@code /usr/bin/chromium} through
 * {@code /usr/bin/chromedriver}; never Selenium Manager, which would download one), so that its live feed
 * ({@code /api/events}) and its polls run as they would for a person watching. Reads, on request, the page's
 * update count ({@code window.cmrDashboard.updates}), its connection label, its JavaScript heap after a forced
 * collection (Chromium started with {@code --js-flags=--expose-gc} and precise memory info), its DOM nodes and
 * JavaScript event listeners (the DevTools protocol's {@code Performance.getMetrics}), and the console errors since
 * the last read. Not thread-safe; one owner.
 */
public final class DashboardBrowser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private DashboardBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static DashboardBrowser open(String url) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException(CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing (apt-get install chromium chromium-driver)");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1400,1700", "--js-flags=--expose-gc", "--enable-precise-memory-info");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriver driver = new ChromeDriver(options);
        driver.executeCdpCommand("Performance.enable", Map.of());
        driver.get(url);
        return new DashboardBrowser(driver);
    }

    /** Live updates the page has received from {@code /api/events}. */
    public long updates() {
        return ((Number) script("return window.cmrDashboard ? window.cmrDashboard.updates : 0")).longValue();
    }

    /** The page's connection label: "live" while its feed is connected. */
    public String connection() {
        return (String) script("return document.getElementById('connection').textContent");
    }

    /** The page's JavaScript heap in use right after a full collection, in bytes. */
    public long jsHeapBytes() {
        return ((Number) script("window.gc(); return performance.memory.usedJSHeapSize")).longValue();
    }

    /** The page's DOM nodes (attached or not yet collected), as DevTools counts them. */
    public long domNodes() {
        return metric("Nodes");
    }

    /** The page's JavaScript event listeners, as DevTools counts them. */
    public long eventListeners() {
        return metric("JSEventListeners");
    }

    private long metric(String name) {
        Object metrics = driver.executeCdpCommand("Performance.getMetrics", Map.of()).get("metrics");
        if (metrics instanceof List<?> list) {
            for (Object m : list) {
                if (m instanceof Map<?, ?> entry && name.equals(entry.get("name"))
                        && entry.get("value") instanceof Number value) {
                    return value.longValue();
                }
            }
        }
        throw new IllegalStateException("Chromium's Performance.getMetrics has no " + name + ": " + metrics);
    }

    /** Console entries of level SEVERE and above since the last call. */
    public long severeSinceLastRead() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).count();
    }

    private Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
