package dev.stmlog.agent;

import dev.stmlog.agent.clojure.ClojureRefs;

import java.util.List;

/** The STMs the agent records: one line each. */
final class Stms {
    static final List<StmInstrumentation> ALL = List.of(
            new ClojureRefs()
    );

    private Stms() {
    }
}
