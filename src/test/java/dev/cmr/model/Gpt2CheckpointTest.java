package dev.cmr.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cmr.model.io.SafetensorsFile;
import dev.cmr.model.io.Tensor;
import dev.cmr.model.io.WeightFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2CheckpointTest {
    /** vocab 11, context 7, hidden 8, 2 layers, 2 heads. */
    private static final Gpt2Config SMALL = new Gpt2Config(11, 7, 8, 2, 2, 1e-5);

    @TempDir
    Path dir;

    private static float[] random(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    static Gpt2Weights randomWeights(Gpt2Config c, long seed) {
        Random r = new Random(seed);
        int h = c.hiddenSize();
        List<Gpt2Weights.Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            blocks.add(new Gpt2Weights.Block(random(r, h), random(r, h), random(r, 3 * h * h), random(r, 3 * h),
                    random(r, h * h), random(r, h), random(r, h), random(r, h), random(r, 4 * h * h),
                    random(r, 4 * h), random(r, 4 * h * h), random(r, h)));
        }
        return new Gpt2Weights(c, random(r, c.vocabSize() * h), random(r, c.contextLength() * h), blocks,
                random(r, h), random(r, h));
    }

    private static void assertSameWeights(Gpt2Weights actual, Gpt2Weights expected) {
        assertThat(actual.config()).isEqualTo(expected.config());
        assertThat(actual.wte()).isEqualTo(expected.wte());
        assertThat(actual.wpe()).isEqualTo(expected.wpe());
        assertThat(actual.lnFGamma()).isEqualTo(expected.lnFGamma());
        assertThat(actual.lnFBeta()).isEqualTo(expected.lnFBeta());
        assertThat(actual.blocks()).hasSameSizeAs(expected.blocks());
        for (int i = 0; i < expected.blocks().size(); i++) {
            Gpt2Weights.Block a = actual.blocks().get(i);
            Gpt2Weights.Block e = expected.blocks().get(i);
            assertThat(a.ln1Gamma()).as("h.%d.ln_1.weight", i).isEqualTo(e.ln1Gamma());
            assertThat(a.ln1Beta()).as("h.%d.ln_1.bias", i).isEqualTo(e.ln1Beta());
            assertThat(a.attnW()).as("h.%d.attn.c_attn.weight", i).isEqualTo(e.attnW());
            assertThat(a.attnB()).as("h.%d.attn.c_attn.bias", i).isEqualTo(e.attnB());
            assertThat(a.projW()).as("h.%d.attn.c_proj.weight", i).isEqualTo(e.projW());
            assertThat(a.projB()).as("h.%d.attn.c_proj.bias", i).isEqualTo(e.projB());
            assertThat(a.ln2Gamma()).as("h.%d.ln_2.weight", i).isEqualTo(e.ln2Gamma());
            assertThat(a.ln2Beta()).as("h.%d.ln_2.bias", i).isEqualTo(e.ln2Beta());
            assertThat(a.fcW()).as("h.%d.mlp.c_fc.weight", i).isEqualTo(e.fcW());
            assertThat(a.fcB()).as("h.%d.mlp.c_fc.bias", i).isEqualTo(e.fcB());
            assertThat(a.mlpProjW()).as("h.%d.mlp.c_proj.weight", i).isEqualTo(e.mlpProjW());
            assertThat(a.mlpProjB()).as("h.%d.mlp.c_proj.bias", i).isEqualTo(e.mlpProjB());
        }
    }

    /** Saves {@code weights}, then rewrites model.safetensors with the tensors {@code edit} leaves. */
    private Path saveAndRewrite(Gpt2Weights weights, Consumer<Map<String, Tensor>> edit) {
        Gpt2Checkpoint.save(dir, weights);
        Path file = dir.resolve(Gpt2Checkpoint.WEIGHTS_FILE);
        Map<String, Tensor> tensors = new LinkedHashMap<>(SafetensorsFile.read(file));
        edit.accept(tensors);
        SafetensorsFile.write(file, tensors, null);
        return file;
    }

    private static Map<String, Tensor> withPrefix(Map<String, Tensor> tensors) {
        Map<String, Tensor> prefixed = new LinkedHashMap<>();
        tensors.forEach((name, t) -> prefixed.put("transformer." + name,
                new Tensor("transformer." + name, t.shape(), t.data())));
        return prefixed;
    }

    private static void put(Map<String, Tensor> tensors, String name, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        tensors.put(name, new Tensor(name, shape, new float[n]));
    }

    // ------------------------------------------------------------------------------------- round trips

    @Test
    void saveThenLoadReturnsTheSameWeights() {
        Gpt2Weights weights = randomWeights(SMALL, 1);

        Gpt2Checkpoint.save(dir, weights);
        Gpt2Weights loaded = Gpt2Checkpoint.load(dir);

        assertSameWeights(loaded, weights);
    }

    @Test
    void saveWritesAHuggingFaceConfigAndUnprefixedTensorNames() throws IOException {
        Gpt2Checkpoint.save(dir, randomWeights(SMALL, 2));

        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("gpt2");
        assertThat(config.get("vocab_size").asInt()).isEqualTo(11);
        assertThat(config.get("n_positions").asInt()).isEqualTo(7);
        assertThat(config.get("n_embd").asInt()).isEqualTo(8);
        assertThat(config.get("n_layer").asInt()).isEqualTo(2);
        assertThat(config.get("n_head").asInt()).isEqualTo(2);
        assertThat(config.get("layer_norm_epsilon").asDouble()).isEqualTo(1e-5);
        Path weightsFile = dir.resolve("model.safetensors");
        Map<String, Tensor> tensors = SafetensorsFile.read(weightsFile);
        assertThat(tensors).hasSize(2 + 12 * 2 + 2);
        assertThat(tensors.keySet()).allSatisfy(name -> assertThat(name).doesNotStartWith("transformer."));
        assertThat(tensors.get("h.1.attn.c_attn.weight").shape()).containsExactly(8, 24);
        assertThat(tensors.get("h.1.mlp.c_fc.weight").shape()).containsExactly(8, 32);
        assertThat(tensors.get("h.1.mlp.c_proj.weight").shape()).containsExactly(32, 8);
        assertThat(tensors.get("wte.weight").shape()).containsExactly(11, 8);
        assertThat(tensors.get("wpe.weight").shape()).containsExactly(7, 8);
        assertThat(SafetensorsFile.readMetadata(weightsFile)).containsEntry("format", "pt");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("config.json", "model.safetensors");
        }
    }

    @Test
    void loadAcceptsTransformerPrefixedNamesAndIgnoresLmHeadAndMaskBuffers() {
        Gpt2Weights weights = randomWeights(SMALL, 3);
        saveAndRewrite(weights, tensors -> {
            Map<String, Tensor> prefixed = withPrefix(tensors);
            tensors.clear();
            tensors.putAll(prefixed);
            put(tensors, "lm_head.weight", 11, 8);
            put(tensors, "transformer.h.0.attn.bias", 1, 1, 7, 7);
            put(tensors, "transformer.h.0.attn.masked_bias");
            put(tensors, "h.1.attn.bias", 1, 1, 7, 7);
        });

        assertSameWeights(Gpt2Checkpoint.load(dir), weights);
    }

    @Test
    void loadAcceptsAFileMixingPrefixedAndUnprefixedNames() {
        Gpt2Weights weights = randomWeights(SMALL, 4);
        saveAndRewrite(weights, tensors -> {
            Tensor wte = tensors.remove("wte.weight");
            tensors.put("transformer.wte.weight", new Tensor("transformer.wte.weight", wte.shape(), wte.data()));
        });

        assertSameWeights(Gpt2Checkpoint.load(dir), weights);
    }

    @Test
    void configWithNCtxInsteadOfNPositionsAndExtraKeysLoads() throws IOException {
        Gpt2Weights weights = randomWeights(SMALL, 5);
        Gpt2Checkpoint.save(dir, weights);
        Files.writeString(dir.resolve("config.json"), """
                {
                  "activation_function": "gelu_new",
                  "architectures": ["GPT2LMHeadModel"],
                  "model_type": "gpt2",
                  "vocab_size": 11,
                  "n_ctx": 7,
                  "n_embd": 8,
                  "n_layer": 2,
                  "n_head": 2,
                  "task_specific_params": {"text-generation": {"do_sample": true}}
                }
                """);

        Gpt2Weights loaded = Gpt2Checkpoint.load(dir);

        assertThat(loaded.config()).isEqualTo(SMALL); // layer_norm_epsilon defaulted to 1e-5
        assertSameWeights(loaded, weights);
    }

    @Test
    void nPositionsWinsOverNCtxWhenBothArePresent() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"vocab_size\":11,\"n_positions\":7,\"n_ctx\":1024,\"n_embd\":8,\"n_layer\":2,"
                + "\"n_head\":2,\"layer_norm_epsilon\":1e-6}");

        Gpt2Config read = Gpt2Checkpoint.readConfig(config);

        assertThat(read).isEqualTo(new Gpt2Config(11, 7, 8, 2, 2, 1e-6));
    }

    // ------------------------------------------------------------------------------------ errors

    @Test
    void missingTensorIsNamedWithThePrefixedAlternative() {
        Path file = saveAndRewrite(randomWeights(SMALL, 6), tensors -> tensors.remove("h.1.mlp.c_fc.bias"));

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": missing tensor 'h.1.mlp.c_fc.bias'"
                        + " (also looked for 'transformer.h.1.mlp.c_fc.bias')");
    }

    @Test
    void wrongShapeNamesTensorExpectedAndActualShape() {
        Path file = saveAndRewrite(randomWeights(SMALL, 7), tensors -> put(tensors, "h.0.attn.c_attn.bias", 8));

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'h.0.attn.c_attn.bias' has shape [8] but config.json requires [24]");
    }

    @Test
    void transposedLinearWeightIsRejectedWithAHint() {
        Path file = saveAndRewrite(randomWeights(SMALL, 8), tensors -> {
            Map<String, Tensor> prefixed = withPrefix(tensors);
            tensors.clear();
            tensors.putAll(prefixed);
            put(tensors, "transformer.h.1.mlp.c_fc.weight", 32, 8);
        });

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'transformer.h.1.mlp.c_fc.weight' has shape [32, 8] but config.json"
                        + " requires [8, 32] (stored transposed? GPT-2 Conv1D weights are [in, out])");
    }

    @Test
    void tensorPresentWithAndWithoutPrefixIsAmbiguous() {
        Path file = saveAndRewrite(randomWeights(SMALL, 9), tensors -> put(tensors, "transformer.ln_f.bias", 8));

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": has both 'ln_f.bias' and 'transformer.ln_f.bias'; cannot tell which to load");
    }

    @Test
    void blocksBeyondTheConfiguredLayerCountAreRejected() {
        Path file = saveAndRewrite(randomWeights(SMALL, 10), tensors -> put(tensors, "h.2.ln_1.weight", 8));

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'h.2.ln_1.weight' belongs to layer 2 but config.json has n_layer=2");
    }

    @Test
    void missingConfigIsNamed() throws IOException {
        Gpt2Checkpoint.save(dir, randomWeights(SMALL, 11));
        Files.delete(dir.resolve("config.json"));

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(dir.resolve("config.json") + ": file not found");
    }

    @Test
    void missingWeightsFileIsNamed() throws IOException {
        Gpt2Checkpoint.save(dir, randomWeights(SMALL, 12));
        Files.delete(dir.resolve("model.safetensors"));

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(dir.resolve("model.safetensors") + ": file not found");
    }

    @Test
    void configMissingTheContextLengthIsRejected() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"vocab_size\":11,\"n_embd\":8,\"n_layer\":2,\"n_head\":2}");

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(config + ": missing \"n_positions\" (or \"n_ctx\")");
    }

    @Test
    void configWithNonIntegerValueIsRejected() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"vocab_size\":11,\"n_positions\":7,\"n_embd\":\"8\",\"n_layer\":2,\"n_head\":2}");

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(config + ": \"n_embd\" must be an integer, was \"8\"");
    }

    @Test
    void configThatGpt2ConfigRejectsIsReportedWithThePath() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"vocab_size\":11,\"n_positions\":7,\"n_embd\":8,\"n_layer\":2,\"n_head\":3}");

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(config + ": n_head (3) must divide n_embd (8)");
    }

    @Test
    void configThatIsNotJsonIsRejected() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"vocab_size\": 11,");

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessageStartingWith(config + ": not valid JSON: ");
    }

    // ------------------------------------------------------------------------------------ bounds

    /** Writes config.json with SMALL's values, {@code key} set to {@code value}, beside SMALL's weights. */
    private Path configWith(String key, long value) throws IOException {
        Gpt2Checkpoint.save(dir, randomWeights(SMALL, 20));
        Path config = dir.resolve("config.json");
        Map<String, Object> values = new LinkedHashMap<>(Map.of("vocab_size", 11, "n_positions", 7, "n_embd", 8,
                "n_layer", 2, "n_head", 2));
        values.put(key, value);
        Files.writeString(config, new ObjectMapper().writeValueAsString(values));
        return config;
    }

    @Test
    void hugeLayerCountFailsFastNamingTheFileTheKeyAndTheLimit() throws IOException {
        Path config = configWith("n_layer", 50_000_000);

        assertTimeoutPreemptively(Duration.ofSeconds(1), () ->
                assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                        .isInstanceOf(IllegalArgumentException.class)
                        .isInstanceOf(WeightFileException.class)
                        .hasMessage(config + ": n_layer must be in [1, 1024], was 50000000"));
    }

    @Test
    void everyConfigValueIsBoundedWithTheBoundInTheMessage() throws IOException {
        assertThatThrownBy(() -> Gpt2Checkpoint.readConfig(configWith("vocab_size", 1L << 21)))
                .hasMessageEndingWith(": vocab_size must be in [1, 1048576], was 2097152");
        assertThatThrownBy(() -> Gpt2Checkpoint.readConfig(configWith("n_positions", 1L << 21)))
                .hasMessageEndingWith(": n_positions must be in [1, 1048576], was 2097152");
        assertThatThrownBy(() -> Gpt2Checkpoint.readConfig(configWith("n_embd", 16_400)))
                .hasMessageEndingWith(": n_embd must be in [1, 16384], was 16400");
        assertThatThrownBy(() -> Gpt2Checkpoint.readConfig(configWith("n_head", 2048)))
                .hasMessageEndingWith(": n_head must be in [1, 1024], was 2048");
        assertThatThrownBy(() -> Gpt2Checkpoint.readConfig(configWith("n_layer", 0)))
                .hasMessageEndingWith(": n_layer must be in [1, 1024], was 0");
    }

    @Test
    void tensorsLargerThanAnArrayHoldsAreRejectedFromTheConfigAlone() {
        assertThatThrownBy(() -> new Gpt2Config(1 << 20, 7, 16_384, 2, 2, 1e-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vocab_size × n_embd (1048576 × 16384 = 17179869184) must be at most 2147483639,"
                        + " the elements of one float[] tensor");
        assertThatThrownBy(() -> new Gpt2Config(11, 1 << 20, 16_384, 2, 2, 1e-5))
                .hasMessage("n_positions × n_embd (1048576 × 16384 = 17179869184) must be at most 2147483639,"
                        + " the elements of one float[] tensor");
    }

    @Test
    void nInnerOtherThanFourTimesTheWidthIsRejectedAndNullIsAccepted() throws IOException {
        Path config = configWith("n_inner", 20);
        assertThatThrownBy(() -> Gpt2Checkpoint.readConfig(config))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(config + ": n_inner must be null or 4 × n_embd (32), was 20");

        Files.writeString(config, "{\"vocab_size\":11,\"n_positions\":7,\"n_embd\":8,\"n_layer\":2,\"n_head\":2,"
                + "\"n_inner\":null}");
        assertThat(Gpt2Checkpoint.readConfig(config).innerSize()).isEqualTo(32);
        Files.writeString(config, "{\"vocab_size\":11,\"n_positions\":7,\"n_embd\":8,\"n_layer\":2,\"n_head\":2,"
                + "\"n_inner\":32}");
        assertThat(Gpt2Checkpoint.readConfig(config).innerSize()).isEqualTo(32);
    }

    @Test
    void inBoundsConfigWithMoreLayersThanTheFileHoldsFailsFastNamingBothFiles() throws IOException {
        configWith("n_layer", 1024);
        Path file = dir.resolve("model.safetensors");

        assertTimeoutPreemptively(Duration.ofSeconds(1), () ->
                assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                        .isInstanceOf(WeightFileException.class)
                        .hasMessage(file + ": holds 2 blocks (h.0 to h.1) but config.json has n_layer 1024"));
    }

    @Test
    void inBoundsConfigWhoseWidthDiffersFromTheWeightsNamesTheFirstMismatch() throws IOException {
        configWith("n_embd", 16);
        Path file = dir.resolve("model.safetensors");

        assertThatThrownBy(() -> Gpt2Checkpoint.load(dir))
                .isInstanceOf(WeightFileException.class)
                .hasMessage(file + ": tensor 'wte.weight' has shape [11, 8] but config.json requires [11, 16]");
    }
}
