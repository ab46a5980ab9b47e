package dev.cmr.model.hooks;

/** User code run at a {@link HookKind} point. May throw: the {@link HookManager} isolates it. */
@FunctionalInterface
public interface Hook {
    void on(HookEvent event) throws Exception;
}
