package dev.cmr.monitor.profile;

import static dev.cmr.testing.CleanRejection.acceptsOrRejects;

import dev.cmr.testing.JsonMutations;
import dev.cmr.testing.JsonMutations.Mutant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the profile.json reader that {@code compare} and {@code report} feed with user files: mutants of a real
 * OpenCL-style profile (device spans, kernels, a representative pass) and a CPU-style one. Each is read or refused
 * with an IllegalArgumentException whose one-line message names the field (from a file: starts with its path).
 */
class ProfileJsonFuzzProperties {
    private static final String OPENCL = ReportFixtures.openClStyle("generate").toJson();
    private static final String CPU = ReportFixtures.cpuStyle().toJson();

    @Provide
    Arbitrary<Mutant> profiles() {
        return Arbitraries.oneOf(JsonMutations.all(OPENCL), JsonMutations.all(CPU));
    }

    @Property(tries = 600)
    void aProfileIsReadOrRefusedNamingTheField(@ForAll("profiles") Mutant m) {
        acceptsOrRejects(IllegalArgumentException.class, null, () -> ProfileResults.fromJson(m.json()));
    }

    @Property(tries = 150)
    void aProfileFileIsReadOrRefusedNamingTheFile(@ForAll("profiles") Mutant m) throws IOException {
        Path file = Files.createTempFile("profile-fuzz", ".json");
        try {
            Files.write(file, m.utf8());
            acceptsOrRejects(IllegalArgumentException.class, file.toString(), () -> ProfileResults.read(file));
        } finally {
            Files.delete(file);
        }
    }
}
