package dev.stmlog.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

import java.util.List;

/**
 * One STM the agent can record. Adding an STM is one class implementing this and one line in
 * {@link Stms#ALL}.
 *
 * <p>The agent transforms nothing of an STM until one of its {@link #classNames()} loads; then
 * {@link #incompatibility} looks at the classes as found, through a {@link TypePool} reading their
 * class files (nothing is loaded or initialized by the check), and only when it finds everything
 * its advice needs are they transformed. Otherwise: one warning line on stderr, and the program
 * runs unrecorded. Advice must be written with {@code suppress = Throwable.class}: a recorder
 * failure must never reach the application.
 */
public interface StmInstrumentation {

    /** How warnings and the log name it, e.g. {@code Clojure refs}. */
    String name();

    /** The classes that identify the STM (binary names); the first of them to load starts it. */
    List<String> classNames();

    /**
     * Null when the STM's classes, as {@code types} describes them, have every method and field
     * the advice uses, with the expected signatures; else a short description of what differs
     * (for the warning line, e.g. {@code "clojure.lang.LockingTransaction has no method
     * doGet(clojure.lang.Ref)"}).
     */
    String incompatibility(TypePool types);

    /**
     * Adds the STM's transformations to {@code agent}: each {@code type(...)} matcher must be
     * and-ed with {@code supported}, which passes only classes of a class loader whose version
     * of the STM passed {@link #incompatibility} (and only while the log records).
     */
    AgentBuilder install(AgentBuilder agent, AgentBuilder.RawMatcher supported);

    /** Which frames of a captured stack are the STM's own and how the others are shown. */
    StackStyle stackStyle();
}
