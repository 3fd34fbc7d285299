package io.courier.protocol.engine;

import java.util.List;

/** The engine's answer to one input: the new state and the effects to carry out, in order. */
public record Step(ConnectionState state, List<Effect> effects) {
    public Step {
        effects = List.copyOf(effects);
    }
}
