package dev.cmr.bench;

import dev.cmr.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Draws the soak's series with gnuplot (Debian's {@code gnuplot-nox}, pngcairo terminal): one panel per
 * {@link SoakSample#SERIES}, samples as points against minutes, the warm-up's end as a dashed line, and the fitted
 * {@link LinearTrend} in red over the judged samples (from the warm-up's end, or later where the series settles
 * later), its slope, interval and verdict in the panel's title. The script is kept beside the image
 * ({@code NAME.gp}, reading {@code NAME.tsv}), so the plot can be redrawn or restyled without rerunning the soak
 * ({@code gnuplot NAME.gp}). The image is written to a temporary file and renamed over the target.
 */
final class SoakPlot {
    private SoakPlot() {
    }

    /**
     * @param tsv    the samples table, in the folder the image goes to
     * @param png    the image to write
     * @param trends one per {@link SoakSample#SERIES}, in that order
     */
    static void draw(Path tsv, Path png, String title, double warmupMinutes, double endMinutes,
                     List<SoakReport.Judged> trends) throws IOException, InterruptedException {
        Path dir = png.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + png.getFileName() + ".tmp");
        String name = png.getFileName().toString().replaceFirst("\\.png$", "");
        Path script = dir.resolve(name + ".gp");
        int columns = (int) Math.ceil(Math.sqrt(trends.size()));
        int rows = (trends.size() + columns - 1) / columns;
        StringBuilder gp = new StringBuilder();
        gp.append(String.format(Locale.ROOT, """
                if (!exists("out")) out = '%s'
                set terminal pngcairo size %d,%d font ",10"
                set output out
                set datafile separator "\\t"
                set grid
                set xlabel "minutes"
                set key off
                set multiplot layout %d,%d title "%s"
                """, png.getFileName(), 600 * columns, 420 * rows, rows, columns, title));
        for (SoakReport.Judged j : trends) {
            SoakSample.Series s = j.series();
            LinearTrend t = j.trend();
            double from = Double.isNaN(j.fromMinutes()) ? warmupMinutes : j.fromMinutes();
            gp.append(String.format(Locale.ROOT, """
                    set title "%s\\nslope %+.4g/min, 95%% CI %+.4g..%+.4g: %s"
                    set arrow 1 from %.4f, graph 0 to %.4f, graph 1 nohead dashtype 2 lc rgb "gray40"
                    plot '%s' skip 1 using ($1/60):%d with linespoints pt 7 ps 0.6 lc rgb "#1f77b4", \\
                         '-' using 1:2 with lines lw 2 lc rgb "red"
                    %.4f\t%.6g
                    %.4f\t%.6g
                    e
                    """, s.label(), t.slopePerMinute(), t.low(), t.high(), t.verdict(), warmupMinutes,
                    warmupMinutes, tsv.getFileName(), SoakSample.columnNumber(s.column()), from,
                    t.intercept() + t.slopePerMinute() * from, endMinutes,
                    t.intercept() + t.slopePerMinute() * endMinutes));
        }
        gp.append("unset multiplot\n");
        String text = gp.toString();
        AtomicFiles.write(script, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        Process p = new ProcessBuilder("gnuplot", "-e", "out = '" + temp.getFileName() + "'",
                script.getFileName().toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            Files.deleteIfExists(temp);
            throw new IllegalStateException("gnuplot could not draw " + png + ": " + out.strip());
        }
        Files.move(temp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
