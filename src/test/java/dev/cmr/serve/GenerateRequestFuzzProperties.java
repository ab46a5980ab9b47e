package dev.cmr.serve;

import static dev.cmr.testing.CleanRejection.acceptsOrRejects;

import dev.cmr.testing.JsonMutations;
import dev.cmr.testing.JsonMutations.Mutant;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the {@code POST /v1/generate} body: mutants of a full request, single bytes changed (invalid UTF-8), and
 * random bytes. Each body is accepted within the limits or refused with a {@link BadRequestException} whose
 * one-line message is not blank and whose field is set.
 */
class GenerateRequestFuzzProperties {
    private static final String FULL = "{\"prompt\": \"Once upon a time\", \"max_tokens\": 16, \"temperature\": 0.8,"
            + " \"stream\": true}";
    private static final GenerateRequest.Limits LIMITS = new GenerateRequest.Limits(255, 64);

    private static void acceptedOrRefused(byte[] body) {
        BadRequestException e = acceptsOrRejects(BadRequestException.class, null,
                () -> GenerateRequest.parse(body, LIMITS));
        if (e != null && (e.field() == null || e.field().isBlank())) {
            throw new AssertionError("no field named: " + e.getMessage());
        }
    }

    @Provide
    Arbitrary<Mutant> bodies() {
        return JsonMutations.all(FULL);
    }

    @Property(tries = 500)
    void aMutatedBodyIsAcceptedOrRefusedNamingTheField(@ForAll("bodies") Mutant m) {
        acceptedOrRefused(m.utf8());
    }

    @Property(tries = 300)
    void aBodyWithOneByteChangedIsAcceptedOrRefused(@ForAll int position, @ForAll byte value) {
        byte[] body = FULL.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[Math.floorMod(position, body.length)] = value;
        acceptedOrRefused(body);
    }

    @Property(tries = 300)
    void randomBytesAreRefused(@ForAll @Size(max = 300) byte[] body) {
        acceptedOrRefused(body);
    }
}
