package dev.stmlog.agent.clojure;

import dev.stmlog.format.event.Frame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clojure frames without Clojure on the classpath: the agent's own demunging. */
class ClojureFramesTest {

    @Test
    void functionsAreNamedAsInClojureWithoutTheGensymNumber() {
        assertEquals("my.app/transfer!/fn", ClojureFrames.name("my.app$transfer_BANG_$fn__1234"));
        assertEquals("my.app/valid?", ClojureFrames.name("my.app$valid_QMARK_"));
        assertEquals("my-app.core/-main", ClojureFrames.name("my_app.core$_main"));
    }

    @Test
    void cljFramesLoseTheirMethodJavaFramesKeepIt() {
        Frame clj = ClojureFrames.STYLE.frame("bank.core$deposit", "invokeStatic", "core.clj", 12);
        assertEquals(new Frame("bank.core/deposit", "", "core.clj", 12), clj);
        assertEquals("bank.core/deposit (core.clj:12)", clj.toString());
        Frame java = ClojureFrames.STYLE.frame("com.example.Bank", "deposit", "Bank.java", 7);
        assertEquals(new Frame("com.example.Bank", "deposit", "Bank.java", 7), java);
    }

    @Test
    void clojuresRuntimeAndCoreAreInternal() {
        assertTrue(ClojureFrames.STYLE.isInternal("clojure.lang.LockingTransaction"));
        assertTrue(ClojureFrames.STYLE.isInternal("clojure.core$alter"));
        assertFalse(ClojureFrames.STYLE.isInternal("clojure.main"));
        assertFalse(ClojureFrames.STYLE.isInternal("bank.core$deposit"));
    }
}
