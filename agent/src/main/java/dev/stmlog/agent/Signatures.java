package dev.stmlog.agent;

import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

/**
 * The version checks' vocabulary: does a class, as its class file describes it, declare a method
 * or field with exactly the descriptor an advice relies on. Each returns null when it does, else
 * the line's text saying what is missing.
 */
public final class Signatures {
    private final TypePool types;

    public Signatures(TypePool types) {
        this.types = types;
    }

    /** The type, or null when its class file cannot be found. */
    public TypeDescription type(String name) {
        TypePool.Resolution r = types.describe(name);
        return r.isResolved() ? r.resolve() : null;
    }

    /** Null when {@code type} declares {@code name} with JVM descriptor {@code descriptor}. */
    public String method(String type, String name, String descriptor) {
        TypeDescription t = type(type);
        if (t == null) return "no class " + type;
        for (MethodDescription.InDefinedShape m : t.getDeclaredMethods()) {
            if (m.getInternalName().equals(name) && m.getDescriptor().equals(descriptor)) return null;
        }
        return type + " has no method " + name + descriptor;
    }

    /** Null when {@code type} declares field {@code name} of JVM descriptor {@code descriptor}. */
    public String field(String type, String name, String descriptor) {
        TypeDescription t = type(type);
        if (t == null) return "no class " + type;
        for (FieldDescription.InDefinedShape f : t.getDeclaredFields()) {
            if (f.getName().equals(name) && f.getDescriptor().equals(descriptor)) return null;
        }
        return type + " has no field " + name + " " + descriptor;
    }

    /** The first non-null of {@code problems}, or null: every check passed. */
    public static String first(String... problems) {
        for (String p : problems) {
            if (p != null) return p;
        }
        return null;
    }
}
