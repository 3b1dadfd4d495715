package dev.strata.eventstore.internal.model;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A text description of a state type's shape (record components, fields, enum constants, permitted subclasses,
 * recursively, with generic arguments), and a hash of it. A snapshot's fingerprint includes the hash, so adding,
 * removing, renaming or retyping anything in the state makes older snapshots unusable without the user having to
 * remember to bump a revision. JDK types ({@code java.*}) are described by name only.
 */
public final class StateSchema {

    private StateSchema() {
    }

    /** The first 16 hex digits of the SHA-256 of {@link #describe}. */
    public static String hash(Type type) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(describe(type).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    public static String describe(Type type) {
        StringBuilder out = new StringBuilder();
        describe(type, out, new HashSet<>());
        return out.toString();
    }

    private static void describe(Type type, StringBuilder out, Set<Class<?>> seen) {
        if (type instanceof ParameterizedType parameterized) {
            describe(parameterized.getRawType(), out, seen);
            out.append('<');
            Type[] arguments = parameterized.getActualTypeArguments();
            for (int i = 0; i < arguments.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                describe(arguments[i], out, seen);
            }
            out.append('>');
            return;
        }
        if (type instanceof GenericArrayType array) {
            describe(array.getGenericComponentType(), out, seen);
            out.append("[]");
            return;
        }
        if (!(type instanceof Class<?> c)) {
            out.append(type.getTypeName()); // type variables, wildcards
            return;
        }
        if (c.isArray()) {
            describe(c.getComponentType(), out, seen);
            out.append("[]");
            return;
        }
        out.append(c.getName());
        if (c.isPrimitive() || c.getName().startsWith("java.") || !seen.add(c)) {
            return;
        }
        if (c.isEnum()) {
            out.append(Arrays.stream(c.getEnumConstants()).map(Object::toString).collect(Collectors.joining(",", "[", "]")));
        } else if (c.isRecord()) {
            out.append('{');
            RecordComponent[] components = c.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(components[i].getName()).append(':');
                describe(components[i].getGenericType(), out, seen);
            }
            out.append('}');
        } else if (!c.isInterface()) {
            out.append('{');
            boolean first = true;
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Field field : k.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers()) || field.isSynthetic()) {
                        continue;
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(field.getName()).append(':');
                    describe(field.getGenericType(), out, seen);
                }
            }
            out.append('}');
        }
        if (c.isSealed()) {
            out.append('(');
            Class<?>[] permitted = c.getPermittedSubclasses();
            Arrays.sort(permitted, (a, b) -> a.getName().compareTo(b.getName()));
            for (int i = 0; i < permitted.length; i++) {
                if (i > 0) {
                    out.append('|');
                }
                describe(permitted[i], out, seen);
            }
            out.append(')');
        }
    }
}
