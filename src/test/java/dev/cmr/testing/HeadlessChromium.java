package dev.cmr.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for browser tests, through the system's chromedriver (never Selenium Manager, which would
 * download one), with the browser console captured. Outside CI a test is skipped, with the reason printed, when
 * chromium or chromedriver is missing; in CI (environment variable CI set) it never skips.
 */
public final class HeadlessChromium {
    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Starts a driver with a window of the given size, or aborts the calling test by the skip rule. */
    public static ChromeDriver start(Class<?> test, int width, int height) {
        if (System.getenv("CI") == null && !(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))) {
            String reason = "skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (apt-get install chromium "
                    + "chromium-driver); in CI this test never skips";
            System.out.println(test.getSimpleName() + " " + reason);
            Assumptions.abort(reason);
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return new ChromeDriver(options);
    }

    /** The console entries of level SEVERE and above since the last call. */
    public static List<LogEntry> severe(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }
}
