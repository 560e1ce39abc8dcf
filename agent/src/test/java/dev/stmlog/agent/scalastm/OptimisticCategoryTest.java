package dev.stmlog.agent.scalastm;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mapping of ScalaSTM's optimistic-failure categories is complete for the ScalaSTM the tests
 * use: every symbol its CCSTM classes can put in an {@code OptimisticFailureCause} is one
 * {@link OptimisticCategory} knows. And the version check accepts those classes as they are.
 */
class OptimisticCategoryTest {

    @Test
    void everyCategoryScalaStmRaisesIsMapped() throws IOException {
        TreeSet<String> symbols = new TreeSet<>();
        URL txn = ClassLoader.getSystemResource("scala/concurrent/stm/ccstm/InTxnImpl.class");
        assertEquals("jar", txn.getProtocol(), "ScalaSTM comes from its jar");
        Path jar = Path.of(txn.getPath().substring("file:".length(), txn.getPath().indexOf('!')));
        try (FileSystem fs = FileSystems.newFileSystem(jar); Stream<Path> files = Files.walk(fs.getPath("scala/concurrent/stm/ccstm"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    symbols.addAll(symbolsOf(in.readAllBytes()));
                }
            }
        }
        // the symbols CCSTM 0.9.1 raises: the optimistic failures' categories and nothing else
        assertFalse(symbols.isEmpty(), "no symbol found: the scan is broken");
        for (String s : symbols) {
            assertTrue(OptimisticCategory.of(s) != null, () -> "ScalaSTM raises '" + s + "', which the agent does not map");
        }
        for (OptimisticCategory c : OptimisticCategory.values()) {
            assertTrue(symbols.contains(c.symbol), () -> c + " is no symbol of this ScalaSTM: " + symbols);
        }
    }

    @Test
    void theVersionCheckAcceptsTheRealScalaStm() {
        TypePool types = TypePool.Default.of(ClassFileLocator.ForClassLoader.ofSystemLoader());
        assertNull(new ScalaStm().incompatibility(types));
    }

    @Test
    void theVersionCheckNamesWhatAClassLacks() {
        // a pool that finds every class but InTxnImpl: the first of the checks fails, and says so
        ClassFileLocator system = ClassFileLocator.ForClassLoader.ofSystemLoader();
        ClassFileLocator withoutTxn = new ClassFileLocator() {
            @Override
            public Resolution locate(String name) throws IOException {
                return name.equals(ScalaStm.TXN) ? new Resolution.Illegal(name) : system.locate(name);
            }

            @Override
            public void close() {
            }
        };
        String problem = new ScalaStm().incompatibility(TypePool.Default.of(withoutTxn));
        assertEquals("no class " + ScalaStm.TXN, problem);
    }

    /**
     * The names of the symbols a class file makes: Scala 2.13's symbol literals
     * ({@code invokedynamic} of {@code scala.runtime.SymbolLiteral}) and {@code Symbol.apply} of a
     * constant string.
     */
    private static TreeSet<String> symbolsOf(byte[] classFile) {
        TreeSet<String> out = new TreeSet<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    /** The strings loaded since the last call (both branches of a conditional name). */
                    private final TreeSet<String> constants = new TreeSet<>();

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof String s) constants.add(s);
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
                        if (owner.equals("scala/Symbol$") && name.equals("apply")) out.addAll(constants);
                        constants.clear();
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
                        if (bootstrap.getOwner().equals("scala/runtime/SymbolLiteral") && args.length > 0
                                && args[0] instanceof String s) {
                            out.add(s);
                        }
                        constants.clear();
                    }
                };
            }
        }, 0);
        return out;
    }
}
