package dev.stmlog.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry ({@code -javaagent:stmlog-agent.jar}, or loaded into a running JVM). With
 * {@code STM_LOG} unset it does nothing at all: no transformer is registered, nothing is
 * printed, and not even Byte Buddy is loaded (this class refers to no other, so that verifying
 * it loads nothing: the test counts the classes loaded). With it set, {@link Installer} registers
 * the transformations of every supported STM ({@link Stms}); they apply when an STM's classes
 * load (or are already loaded) and pass its version check, which opens the log. A program
 * without a supported STM runs unchanged, with no file and no output.
 */
public final class StmlogAgent {

    private StmlogAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(inst);
    }

    private static void start(Instrumentation inst) {
        String target = System.getenv("STM_LOG");
        if (target == null || target.isBlank()) return;
        Installer.install(target, inst);
    }
}
