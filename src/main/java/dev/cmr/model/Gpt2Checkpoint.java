package dev.cmr.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cmr.io.AtomicFiles;
import dev.cmr.model.io.SafetensorsFile;
import dev.cmr.model.io.Tensor;
import dev.cmr.model.io.WeightFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GPT-2 checkpoint directory in Hugging Face's layout: {@code config.json} plus {@code model.safetensors}.
 *
 * <p>Tensor names are GPT-2's ({@code wte.weight}, {@code h.0.attn.c_attn.weight}, ...), accepted with or without
 * the {@code transformer.} prefix that {@code GPT2LMHeadModel} checkpoints carry. GPT-2's linear layers are
 * {@code Conv1D} modules whose weights are stored {@code [in, out]}, which is exactly the {@link Gpt2Weights}
 * layout, so nothing is transposed. Tensors the model does not use (the tied {@code lm_head.weight}, the causal-mask
 * buffers {@code attn.bias} and {@code attn.masked_bias}, anything else) are skipped without being read.
 */
public final class Gpt2Checkpoint {
    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = "model.safetensors";
    /** Prefix of the decoder's tensors in {@code GPT2LMHeadModel} checkpoints. */
    public static final String PREFIX = "transformer.";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    /** A block's parameters, in the order of {@link Gpt2Weights.Block}'s components. */
    private static final List<String> BLOCK_PARAMETERS = List.of(
            "ln_1.weight", "ln_1.bias",
            "attn.c_attn.weight", "attn.c_attn.bias",
            "attn.c_proj.weight", "attn.c_proj.bias",
            "ln_2.weight", "ln_2.bias",
            "mlp.c_fc.weight", "mlp.c_fc.bias",
            "mlp.c_proj.weight", "mlp.c_proj.bias");

    private static final Pattern LAYER_NAME = Pattern.compile("h\\.(\\d+)\\..*");

    private Gpt2Checkpoint() {
    }

    // ------------------------------------------------------------------------------------------------ loading

    /**
     * Loads {@code dir/config.json} and {@code dir/model.safetensors}.
     *
     * <p>Order of checks: the config (every value bounded), then the weights file's header against it (its number of
     * blocks, then every expected tensor's presence and shape), and only then is any tensor data read. Nothing sized
     * by the config is built before the config is bounded, and no data is read for a config the file does not match.
     *
     * @throws WeightFileException if either file is missing or malformed, a config value is out of bounds, the file
     *                             holds fewer or more blocks than the config's {@code n_layer}, or a tensor is
     *                             missing or has the wrong shape
     */
    public static Gpt2Weights load(Path dir) {
        Gpt2Config config = readConfig(dir.resolve(CONFIG_FILE));
        Path file = dir.resolve(WEIGHTS_FILE);
        // The header alone is checked against the config before anything sized by the config is built or any
        // tensor data is read: a config that does not fit the file fails at the cost of reading the header.
        Map<String, int[]> header = SafetensorsFile.readShapes(file);
        int fileLayers = layersIn(header.keySet());
        if (fileLayers < config.layers()) {
            String held = fileLayers == 0 ? "no blocks" : fileLayers + " blocks (h.0 to h." + (fileLayers - 1) + ")";
            throw new WeightFileException(file + ": holds " + held + " but " + CONFIG_FILE + " has n_layer "
                    + config.layers());
        }
        Map<String, int[]> expected = expectedShapes(config);
        checkShapes(file, header, expected);

        Map<String, Tensor> found = SafetensorsFile.read(file, name -> {
            String bare = name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
            Matcher layer = LAYER_NAME.matcher(bare);
            boolean beyondLastLayer = layer.matches()
                    && (layer.group(1).length() > 9 || Integer.parseInt(layer.group(1)) >= config.layers());
            if (beyondLastLayer) {
                throw new WeightFileException(file + ": tensor '" + name + "' belongs to layer " + layer.group(1)
                        + " but " + CONFIG_FILE + " has n_layer=" + config.layers());
            }
            return expected.containsKey(bare);
        });

        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            Tensor plain = found.get(name);
            arrays.put(name, (plain != null ? plain : found.get(PREFIX + name)).data());
        }

        List<Gpt2Weights.Block> blocks = new ArrayList<>(config.layers());
        for (int i = 0; i < config.layers(); i++) {
            float[][] p = new float[BLOCK_PARAMETERS.size()][];
            for (int k = 0; k < p.length; k++) {
                p[k] = arrays.get("h." + i + "." + BLOCK_PARAMETERS.get(k));
            }
            blocks.add(new Gpt2Weights.Block(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10],
                    p[11]));
        }
        return new Gpt2Weights(config, arrays.get("wte.weight"), arrays.get("wpe.weight"), blocks,
                arrays.get("ln_f.weight"), arrays.get("ln_f.bias"));
    }

    /** One more than the highest block index among {@code names} ({@code h.<i>.}, plain or prefixed). */
    private static int layersIn(Iterable<String> names) {
        int layers = 0;
        for (String name : names) {
            Matcher layer = LAYER_NAME.matcher(name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name);
            if (layer.matches() && layer.group(1).length() <= 9) {
                layers = Math.max(layers, Integer.parseInt(layer.group(1)) + 1);
            }
        }
        return layers;
    }

    /**
     * Checks that the header holds every expected tensor once (plain or prefixed) with its expected shape.
     *
     * @throws WeightFileException naming the first tensor, in expected order, that is missing, ambiguous or shaped
     *                             otherwise
     */
    private static void checkShapes(Path file, Map<String, int[]> header, Map<String, int[]> expected) {
        for (Map.Entry<String, int[]> want : expected.entrySet()) {
            String name = want.getKey();
            int[] plain = header.get(name);
            int[] prefixed = header.get(PREFIX + name);
            if (plain != null && prefixed != null) {
                throw new WeightFileException(file + ": has both '" + name + "' and '" + PREFIX + name
                        + "'; cannot tell which to load");
            }
            if (plain == null && prefixed == null) {
                throw new WeightFileException(file + ": missing tensor '" + name + "' (also looked for '" + PREFIX
                        + name + "')");
            }
            int[] actual = plain != null ? plain : prefixed;
            if (!Arrays.equals(actual, want.getValue())) {
                String hint = isTransposed(actual, want.getValue())
                        ? " (stored transposed? GPT-2 Conv1D weights are [in, out])" : "";
                throw new WeightFileException(file + ": tensor '" + (plain != null ? name : PREFIX + name)
                        + "' has shape " + Arrays.toString(actual) + " but " + CONFIG_FILE + " requires "
                        + Arrays.toString(want.getValue()) + hint);
            }
        }
    }

    private static boolean isTransposed(int[] actual, int[] expected) {
        return actual.length == 2 && expected.length == 2 && actual[0] == expected[1] && actual[1] == expected[0];
    }

    /**
     * Reads a Hugging Face GPT-2 {@code config.json}: {@code vocab_size}, {@code n_positions} (or the older
     * {@code n_ctx}), {@code n_embd}, {@code n_layer}, {@code n_head} and {@code layer_norm_epsilon} (default
     * {@code 1e-5}). {@code n_inner}, when present and not null, must be {@code 4 × n_embd}, the only MLP width
     * the model has. Other keys are ignored. Every value is bounded ({@link Gpt2Config}'s limits) and a value out
     * of bounds is reported as {@code "<file>: <key> must be in [1, <limit>], was <value>"}.
     */
    public static Gpt2Config readConfig(Path configFile) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(configFile));
        } catch (NoSuchFileException e) {
            throw new WeightFileException(configFile + ": file not found", e);
        } catch (JacksonException e) {
            throw new WeightFileException(configFile + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new WeightFileException(configFile + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new WeightFileException(configFile + ": must hold a JSON object");
        }
        int vocab = intKey(configFile, root, "vocab_size");
        int context = root.has("n_positions") || !root.has("n_ctx")
                ? intKey(configFile, root, "n_positions") : intKey(configFile, root, "n_ctx");
        int hidden = intKey(configFile, root, "n_embd");
        int layers = intKey(configFile, root, "n_layer");
        int heads = intKey(configFile, root, "n_head");
        JsonNode inner = root.get("n_inner");
        if (inner != null && !inner.isNull() && !(inner.isIntegralNumber() && inner.canConvertToInt()
                && (long) inner.intValue() == 4L * hidden)) {
            throw new WeightFileException(configFile + ": n_inner must be null or 4 × n_embd (" + 4L * hidden
                    + "), was " + inner);
        }
        double epsilon = 1e-5;
        JsonNode eps = root.get("layer_norm_epsilon");
        if (eps != null) {
            if (!eps.isNumber()) {
                throw new WeightFileException(configFile + ": \"layer_norm_epsilon\" must be a number, was " + eps);
            }
            epsilon = eps.doubleValue();
        }
        try {
            return new Gpt2Config(vocab, context, hidden, layers, heads, epsilon);
        } catch (IllegalArgumentException e) {
            throw new WeightFileException(configFile + ": " + e.getMessage(), e);
        }
    }

    private static int intKey(Path configFile, JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null) {
            String alternative = key.equals("n_positions") ? " (or \"n_ctx\")" : "";
            throw new WeightFileException(configFile + ": missing \"" + key + "\"" + alternative);
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new WeightFileException(configFile + ": \"" + key + "\" must be an integer, was " + node);
        }
        return node.intValue();
    }

    /** Every tensor the model needs, by unprefixed name, with its shape. */
    private static Map<String, int[]> expectedShapes(Gpt2Config c) {
        int h = c.hiddenSize();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("wte.weight", new int[] {c.vocabSize(), h});
        shapes.put("wpe.weight", new int[] {c.contextLength(), h});
        int[][] block = blockShapes(c);
        for (int i = 0; i < c.layers(); i++) {
            for (int k = 0; k < block.length; k++) {
                shapes.put("h." + i + "." + BLOCK_PARAMETERS.get(k), block[k]);
            }
        }
        shapes.put("ln_f.weight", new int[] {h});
        shapes.put("ln_f.bias", new int[] {h});
        return shapes;
    }

    /** Shapes of a block's parameters, in {@link #BLOCK_PARAMETERS} order. */
    private static int[][] blockShapes(Gpt2Config c) {
        int h = c.hiddenSize();
        int inner = c.innerSize();
        return new int[][] {
            {h}, {h},
            {h, 3 * h}, {3 * h},
            {h, h}, {h},
            {h}, {h},
            {h, inner}, {inner},
            {inner, h}, {h},
        };
    }

    // ------------------------------------------------------------------------------------------------- saving

    /**
     * Writes {@code dir/model.safetensors} (F32, names without prefix, metadata {@code format=pt} as Hugging Face
     * loaders expect) and then {@code dir/config.json}, each atomically. The directory is created if missing. The
     * pair is not replaced as a unit: a crash between the two writes leaves new weights beside the old config.
     */
    public static void save(Path dir, Gpt2Weights weights) {
        Gpt2Config c = weights.config();
        int h = c.hiddenSize();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        put(tensors, "wte.weight", weights.wte(), c.vocabSize(), h);
        put(tensors, "wpe.weight", weights.wpe(), c.contextLength(), h);
        int[][] shapes = blockShapes(c);
        for (int i = 0; i < c.layers(); i++) {
            Gpt2Weights.Block b = weights.blocks().get(i);
            float[][] values = {b.ln1Gamma(), b.ln1Beta(), b.attnW(), b.attnB(), b.projW(), b.projB(), b.ln2Gamma(),
                b.ln2Beta(), b.fcW(), b.fcB(), b.mlpProjW(), b.mlpProjB()};
            for (int k = 0; k < values.length; k++) {
                put(tensors, "h." + i + "." + BLOCK_PARAMETERS.get(k), values[k], shapes[k]);
            }
        }
        put(tensors, "ln_f.weight", weights.lnFGamma(), h);
        put(tensors, "ln_f.bias", weights.lnFBeta(), h);
        SafetensorsFile.write(dir.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));

        ObjectNode json = JSON.createObjectNode();
        json.put("model_type", "gpt2");
        json.put("vocab_size", c.vocabSize());
        json.put("n_positions", c.contextLength());
        json.put("n_embd", h);
        json.put("n_layer", c.layers());
        json.put("n_head", c.heads());
        json.put("layer_norm_epsilon", c.layerNormEpsilon());
        Path configFile = dir.resolve(CONFIG_FILE);
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(json) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JacksonException e) {
            throw new WeightFileException(configFile + ": cannot encode: " + e.getOriginalMessage(), e);
        }
        try {
            AtomicFiles.write(configFile, out -> out.write(bytes));
        } catch (IOException e) {
            throw new WeightFileException(configFile + ": cannot write: " + e, e);
        }
    }

    private static void put(Map<String, Tensor> tensors, String name, float[] data, int... shape) {
        tensors.put(name, new Tensor(name, shape, data));
    }
}
