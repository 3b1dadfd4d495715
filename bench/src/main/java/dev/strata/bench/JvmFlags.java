package dev.strata.bench;

/** The JVM flags Chronicle Queue needs (STACK.md), appended to every JMH fork by {@link JmhMain}. */
public final class JvmFlags {

    public static final String[] CHRONICLE = {
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true",
    };

    private JvmFlags() {
    }

    /** {@link #CHRONICLE}, plus what this JVM's version needs: JDK 24 and later warn on (and will refuse) Unsafe memory access. */
    public static String[] forThisJvm() {
        if (Runtime.version().feature() < 24) {
            return CHRONICLE.clone();
        }
        String[] flags = java.util.Arrays.copyOf(CHRONICLE, CHRONICLE.length + 1);
        flags[CHRONICLE.length] = "--sun-misc-unsafe-memory-access=allow";
        return flags;
    }
}
