package dev.stmlog.agent;

import java.util.List;

/** The STMs the agent records: one line each. */
final class Stms {
    static final List<StmInstrumentation> ALL = List.of(
    );

    private Stms() {
    }
}
