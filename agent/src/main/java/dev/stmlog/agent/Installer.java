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
 * Registers the supported STMs' transformations (with {@code STM_LOG} set): advice only, no
 * change of class format, so that classes already loaded are retransformed the same way, each
 * behind its STM's {@link VersionGate}.
 */
final class Installer {

    private Installer() {
    }

    static void install(String target, Instrumentation inst) {
        try {
            Recording.configure(target);
            AccessHooks.instrumentation(inst);
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
