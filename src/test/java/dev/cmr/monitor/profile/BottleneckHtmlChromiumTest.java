package dev.cmr.monitor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import dev.cmr.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * bottlenecks.html in a real browser ({@link HeadlessChromium}: the system's chromedriver, and its skip rule). The screenshot of the OpenCL-style report is saved
 * as {@value #SCREENSHOT}.
 */
class BottleneckHtmlChromiumTest {
    static final String SCREENSHOT = "target/report-screenshots/bottlenecks.png";

    private static ChromeDriver driver;

    @TempDir
    Path dir;

    @BeforeAll
    static void startChromium() {
        driver = HeadlessChromium.start(BottleneckHtmlChromiumTest.class, 1280, 1800);
    }

    @AfterAll
    static void stopChromium() {
        if (driver != null) {
            driver.quit();
        }
    }

    private Path report(ProfileResults results) {
        ReportFiles.writeViews(results, dir);
        return dir.resolve(ReportFiles.HTML);
    }

    private List<LogEntry> severe() {
        return HeadlessChromium.severe(driver);
    }

    @Test
    void rendersEveryChartWithSizeWithoutConsoleErrorsOrFetches() throws IOException {
        driver.get(report(ReportFixtures.openClStyle("generate <&>")).toUri().toString());

        List<WebElement> svgs = driver.findElements(By.tagName("svg"));
        assertThat(svgs).hasSize(4); // layer bars, timeline, CPU and GPU utilization curves
        for (WebElement svg : svgs) {
            assertThat(svg.getSize().getWidth()).as(svg.getAttribute("class")).isPositive();
            assertThat(svg.getSize().getHeight()).as(svg.getAttribute("class")).isPositive();
        }
        List<WebElement> bars = driver.findElements(By.cssSelector("svg.layer-bars rect"));
        assertThat(bars).isNotEmpty().allMatch(r -> r.getSize().getWidth() > 0 && r.getSize().getHeight() > 0);
        assertThat(driver.findElements(By.cssSelector("svg.timeline rect"))).hasSizeGreaterThan(10);
        assertThat(driver.findElements(By.cssSelector("svg.resource polyline"))).hasSize(2);
        assertThat(driver.findElement(By.tagName("h2")).getText()).isEqualTo("generate <&>");
        assertThat(((JavascriptExecutor) driver)
                .executeScript("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
        assertThat(severe()).isEmpty();

        Path screenshot = Paths.get(SCREENSHOT);
        Files.createDirectories(screenshot.getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(screenshot)).isPositive();
    }

    @Test
    void aCpuStyleReportRendersToo() {
        driver.get(report(ReportFixtures.cpuStyle()).toUri().toString());

        assertThat(driver.findElements(By.tagName("svg"))).hasSize(5)
                .allMatch(svg -> svg.getSize().getWidth() > 0 && svg.getSize().getHeight() > 0);
        assertThat(severe()).isEmpty();
    }

    @Test
    void theConsoleCheckSeesAnError() throws IOException {
        Path page = Files.writeString(dir.resolve("broken.html"),
                "<!DOCTYPE html><html><body><script>console.error('planted')</script></body></html>");

        driver.get(page.toUri().toString());

        assertThat(severe()).anyMatch(e -> e.getMessage().contains("planted"));
    }
}
