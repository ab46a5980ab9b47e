package dev.cmr.model.hooks;

import dev.cmr.model.memory.MemoryEntry;
import java.util.List;

/**
 * What a hook sees. Fields that do not apply to the kind are null (layer is -1). {@code hidden} is live: changes to
 * it change the forward pass. Valid only during the call.
 */
public record HookEvent(HookKind kind, int layer, int[] tokenIds, HiddenStates hidden, List<MemoryEntry> memories,
                        float[][] logits, Throwable error, String failedHook) {

    public static HookEvent input(int[] tokenIds) {
        return new HookEvent(HookKind.PRE_PROCESSING, -1, tokenIds, null, null, null, null, null);
    }

    public static HookEvent layer(HookKind kind, int layer, HiddenStates hidden, List<MemoryEntry> memories) {
        return new HookEvent(kind, layer, null, hidden, memories, null, null, null);
    }

    public static HookEvent output(int[] tokenIds, float[][] logits) {
        return new HookEvent(HookKind.POST_PROCESSING, -1, tokenIds, null, null, logits, null, null);
    }

    static HookEvent failure(HookEvent during, String hookName, Throwable error) {
        return new HookEvent(HookKind.ERROR, during.layer, during.tokenIds, null, null, null, error, hookName);
    }
}
