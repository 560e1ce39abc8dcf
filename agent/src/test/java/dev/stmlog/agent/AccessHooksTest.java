package dev.stmlog.agent;

import dev.stmlog.agent.fixtures.Plain;
import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The accesses' advice waits for the first conflict: the classes transformed before it are
 * retransformed once, at the first attempt start after it, and later ones get it at once.
 */
class AccessHooksTest {
    /** What the hooks asked to retransform, one list per call. */
    private final List<List<Class<?>>> retransformed = new ArrayList<>();

    private AccessHooks hooks(boolean failing) {
        AccessHooks hooks = new AccessHooks();
        hooks.use((Instrumentation) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("retransformClasses")) throw new UnsupportedOperationException();
                    retransformed.add(Arrays.asList((Class<?>[]) args[0]));
                    if (failing) throw new IllegalStateException("refused");
                    return null;
                }));
        return hooks;
    }

    @Test
    void noConflictNoAccessAdviceAndNoRetransformation() {
        AccessHooks hooks = hooks(false);
        assertFalse(hooks.addNow(Plain.class.getClassLoader(), Plain.class.getName()));
        hooks.install(); // an attempt start with no conflict yet: nothing to do
        assertEquals(List.of(), retransformed);
        assertFalse(hooks.addNow(String.class.getClassLoader(), String.class.getName()), "still no conflict");
    }

    @Test
    void theFirstConflictRetransformsTheClassesOnceAndLaterClassesGetTheAdviceAtOnce() {
        AccessHooks hooks = hooks(false);
        assertFalse(hooks.addNow(Plain.class.getClassLoader(), Plain.class.getName()));
        assertFalse(hooks.addNow(null, String.class.getName())); // the bootstrap loader's
        hooks.wantHooks();
        assertTrue(hooks.addNow(AccessHooksTest.class.getClassLoader(), AccessHooksTest.class.getName()),
                "a class transformed after the first conflict gets its access advice in that transformation");
        hooks.install();
        hooks.install();
        hooks.wantHooks(); // a second conflict
        hooks.install();
        assertEquals(List.of(List.of(Plain.class, String.class)), retransformed);
    }

    @Test
    void aRefusedRetransformationIsNotRetriedAtEachAttempt() {
        AccessHooks hooks = hooks(true);
        hooks.addNow(Plain.class.getClassLoader(), Plain.class.getName());
        hooks.wantHooks();
        hooks.install();
        hooks.install();
        assertEquals(List.of(List.of(Plain.class)), retransformed);
    }
}
