package dev.stmlog.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * The agent's entry ({@code -javaagent:stmlog-agent.jar}, or loaded into a running JVM). With
 * {@code STM_LOG} unset it does nothing at all: no transformer is registered, nothing is
 * printed. With it set, it registers the transformations of every supported STM ({@link Stms});
 * they apply when an STM's classes load (or are already loaded) and pass its version check,
 * which opens the log. A program without a supported STM runs unchanged, with no file and no
 * output.
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
        try {
            Recording.configure(target);
            AgentBuilder agent = new AgentBuilder.Default()
                    .disableClassFormatChanges()
                    .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                    .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                    .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                    .with(new Failures())
                    .ignore(nameStartsWith("dev.stmlog.agent.").or(nameStartsWith("java.")).or(nameStartsWith("jdk."))
                            .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")));
            for (StmInstrumentation stm : Stms.ALL) {
                agent = stm.install(agent, new VersionGate(stm));
            }
            agent.installOn(inst);
        } catch (RuntimeException | LinkageError e) {
            System.err.println("stmlog: the agent could not start (" + Recording.describe(e) + "); the program runs unrecorded");
        }
    }

    /** A transformation that fails: one line per class, the class left as it was. */
    private static final class Failures extends AgentBuilder.Listener.Adapter {
        private final Set<String> reported = ConcurrentHashMap.newKeySet();

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            if (reported.add(typeName)) {
                System.err.println("stmlog: cannot instrument " + typeName + " (" + Recording.describe(error)
                        + "); it runs unrecorded");
            }
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            // nothing to say: recording is the normal case
        }
    }
}
