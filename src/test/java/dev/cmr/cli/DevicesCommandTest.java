package dev.cmr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cmr.monitor.device.Devices;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cmr-monitor devices}: one line per backend, as {@link Devices#detect()} says, and exit 0. */
class DevicesCommandTest {
    @Test
    void printsOneLinePerBackendWithItsReasonAndExitsZero() {
        StringWriter out = new StringWriter();

        int code = new CommandLine(new Main()).setOut(new PrintWriter(out)).execute("devices");

        assertThat(code).isZero();
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(3);
        var detected = Devices.detect();
        for (int i = 0; i < 3; i++) {
            var s = detected.get(i);
            assertThat(lines[i]).startsWith(s.backend())
                    .contains(s.available() ? " available " : " unavailable ").endsWith(s.detail());
        }
    }
}
