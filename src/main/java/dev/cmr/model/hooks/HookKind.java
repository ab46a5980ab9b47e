package dev.cmr.model.hooks;

/** Where in a forward pass a hook runs, in the order they occur in a pass. */
public enum HookKind {
    /** Before the pass, with the input token ids. */
    PRE_PROCESSING,
    /** Before a transformer block runs. */
    LAYER_ENTER,
    /** After a block ran (and after capture and reconstruction at that layer), with its hidden states. */
    LAYER_EXIT,
    /** After hidden states of a target layer were scored and stored. */
    CAPTURE,
    /** After memories were retrieved for an intervention layer. */
    RETRIEVAL,
    /** After retrieved memories were rewoven into an intervention layer's hidden states. */
    RECONSTRUCTION,
    /** After the pass, with the logits. */
    POST_PROCESSING,
    /** When another hook threw; carries the error and the failing hook's name. */
    ERROR
}
