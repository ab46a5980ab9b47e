package dev.cmr.monitor.http;

import static dev.cmr.testing.CleanRejection.acceptsOrRejects;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the query parsing of {@code POST /api/profile?passes=N}: any raw query (broken percent escapes, empty
 * pairs, repeated keys, invalid UTF-8 escapes) gives a value, null, or an {@link HttpError} 400 with a message.
 */
class QueryParameterFuzzProperties {
    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.of("passes", "passes=", "passes=10", "=", "&", "%", "%2", "%zz", "%ff%fe", "%C3%28",
                        "%e2%82", "+", "p%61sses=3", "passes=-1", "passes=99999999999999999999"),
                Arbitraries.strings().withChars("pases=&%0123456789abcdefzZ+").ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(6));
        return piece.list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    @Property(tries = 500)
    void anyQueryGivesAValueNullOrA400(@ForAll("queries") String rawQuery) {
        HttpError e = acceptsOrRejects(HttpError.class, null, () -> MonitorApi.queryParameter(rawQuery, "passes"));
        if (e != null && e.status() != 400) {
            throw new AssertionError("status " + e.status() + " for " + rawQuery);
        }
    }
}
