package dev.stmlog.agent;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets an STM's classes be transformed only when its version, as loaded by that class loader,
 * has what the advice needs ({@link StmInstrumentation#incompatibility}), checked once per class
 * loader from the class files, before any transformation: an unknown version gets one warning
 * line and runs unrecorded, never a {@code VerifyError}. The first supported class to pass
 * opens the log.
 */
final class VersionGate implements AgentBuilder.RawMatcher {
    private final StmInstrumentation stm;
    private final Map<ClassLoader, Boolean> checked = new WeakHashMap<>();
    private Boolean bootstrap;
    private final AtomicBoolean warned = new AtomicBoolean();

    VersionGate(StmInstrumentation stm) {
        this.stm = stm;
    }

    @Override
    public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> beingRedefined,
                           ProtectionDomain domain) {
        Boolean ok;
        synchronized (this) {
            ok = loader == null ? bootstrap : checked.get(loader);
            if (ok == null) {
                ok = check(loader);
                if (loader == null) bootstrap = ok;
                else checked.put(loader, ok);
            }
        }
        return ok && Recording.isRecording();
    }

    /**
     * Whether code of {@code loader} links to the agent's own recorder classes (the inlined advice
     * calls them): not so for a loader that does not delegate to the system class loader.
     */
    private static boolean seesAgent(ClassLoader loader) {
        try {
            return Class.forName(Recording.class.getName(), false, loader) == Recording.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private boolean check(ClassLoader loader) {
        String problem;
        try {
            ClassFileLocator files = loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader()
                    : ClassFileLocator.ForClassLoader.of(loader);
            problem = stm.incompatibility(TypePool.Default.of(files));
            if (problem == null && !seesAgent(loader)) {
                problem = "its class loader cannot see the agent's classes";
            }
        } catch (RuntimeException | LinkageError e) {
            problem = "its classes cannot be read (" + Recording.describe(e) + ")";
        }
        if (problem != null) {
            if (warned.compareAndSet(false, true)) {
                System.err.println("stmlog: not recording " + stm.name() + ": unknown version (" + problem
                        + "); the program runs unrecorded");
            }
            return false;
        }
        return Recording.start(stm.name());
    }
}
