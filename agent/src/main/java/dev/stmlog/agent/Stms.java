package dev.stmlog.agent;

import dev.stmlog.agent.clojure.ClojureRefs;
import dev.stmlog.agent.scalastm.ScalaStm;

import java.util.List;

/** The STMs the agent records: one line each. */
final class Stms {
    static final List<StmInstrumentation> ALL = List.of(
            new ClojureRefs(),
            new ScalaStm()
    );

    private Stms() {
    }
}
