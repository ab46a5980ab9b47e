package dev.cmr.monitor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code CMRP_*} constants of {@link CmrProbe} against {@code native/include/cmrprobe.h} itself, read from the
 * source tree (the project root is the test's working directory): every integer {@code #define} and enumerator of
 * the header has a public static field of the same name and value, and the binding has no constant the header
 * lacks. Needs no native library.
 */
class CmrProbeConstantsTest {
    private static final Path HEADER = Path.of("native", "include", "cmrprobe.h");
    private static final String PREFIX = "CMRP_";

    @Test
    void bindingDeclaresEveryHeaderConstantWithItsValueAndNoOther() throws IOException {
        Map<String, Long> header = HeaderConstants.read(Files.readString(HEADER, StandardCharsets.UTF_8), PREFIX);

        assertThat(header).as("constants read from %s", HEADER)
                .contains(entry("CMRP_VERSION", 100L), entry("CMRP_NVML_CLOCK_EVENT_REASONS", 256L),
                        entry("CMRP_RESOLVE_CALLBACK", 2L))
                .doesNotContainKey("CMRP_EXPORT");
        assertThat(HeaderConstants.mismatches(header, CmrProbe.class, PREFIX)).isEmpty();
    }

    @Test
    void reportsAnAlteredHeaderValueByName() {
        String header = """
                #define CMRP_VERSION 100
                #define CMRP_FLAG (1u << 3) /* the binding says 1 << 2 */
                enum { CMRP_FIRST = 1, CMRP_SECOND };
                """;

        assertThat(HeaderConstants.mismatches(HeaderConstants.read(header, PREFIX), Planted.class, PREFIX))
                .containsExactly("CMRP_FLAG: the header says 8, Planted.CMRP_FLAG is 4");
    }

    @Test
    void reportsConstantsMissingOnEitherSideAndFieldsThatAreNotPublicStatic() {
        String header = """
                #define CMRP_VERSION 100
                #define CMRP_FLAG (1u << 2)
                #define CMRP_NEW_IN_HEADER 7
                enum { CMRP_FIRST = 1 };
                """;

        assertThat(HeaderConstants.mismatches(HeaderConstants.read(header, PREFIX), Planted.class, PREFIX))
                .containsExactly(
                        "CMRP_SECOND: declared by Planted, absent from the header",
                        "CMRP_NEW_IN_HEADER: in the header (7), absent from Planted");
        assertThat(HeaderConstants.mismatches(
                        HeaderConstants.read("#define CMRP_HIDDEN 5\n", PREFIX), NotPublic.class, PREFIX))
                .containsExactly("CMRP_HIDDEN: NotPublic declares it, but not public static");
    }

    @Test
    void readsDefinesAndEnumeratorsAsCEvaluatesThemAndSkipsOtherMacros() {
        String header = """
                #ifndef CMRP_GUARD_H
                #define CMRP_GUARD_H
                #define CMRP_EXPORT __attribute__((visibility("default")))
                #define CMRP_NAME "cmrp-resolver"
                #define CMRP_DRIFT 1e-3
                #define CMRP_MAX(a, b) ((a) > (b) ? (a) : (b))
                #define CMRP_HEX 0x1FFu   // trailing comment
                #define CMRP_NANOS 1000000000LL
                #define CMRP_OCTAL 010
                #define CMRP_BOTH (CMRP_HEX & ~(1u << 0)) /* refers to an earlier constant */
                #define CMRP_LONG \\
                    (2 * 3 + 4)
                #define OTHER_PREFIX 3
                typedef enum cmrp_kind {
                    CMRP_NONE,
                    CMRP_ONE,
                    CMRP_TEN = 10, /* a comment between enumerators */
                    CMRP_ELEVEN,
                    CMRP_NEGATIVE = -1
                } cmrp_kind;
                #endif
                """;

        assertThat(HeaderConstants.read(header, PREFIX)).containsExactly(
                entry("CMRP_HEX", 0x1FFL), entry("CMRP_NANOS", 1_000_000_000L), entry("CMRP_OCTAL", 8L),
                entry("CMRP_BOTH", 0x1FEL), entry("CMRP_LONG", 10L), entry("CMRP_NONE", 0L), entry("CMRP_ONE", 1L),
                entry("CMRP_TEN", 10L), entry("CMRP_ELEVEN", 11L), entry("CMRP_NEGATIVE", -1L));
    }

    /** A binding for the planted headers: CMRP_FLAG is 1 << 2 here. */
    @SuppressWarnings("unused") // read by reflection
    private static final class Planted {
        public static final int CMRP_VERSION = 100;
        public static final int CMRP_FLAG = 1 << 2;
        public static final int CMRP_FIRST = 1;
        public static final int CMRP_SECOND = 2;
        public static final String NOT_A_CONSTANT = "ignored: no CMRP_ prefix";
    }

    @SuppressWarnings("unused") // read by reflection
    private static final class NotPublic {
        static final int CMRP_HIDDEN = 5;
    }
}
