package dev.strata.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH's command line with the Chronicle JVM flags appended to every fork, so no benchmark has to repeat them.
 * Same arguments as JMH's own main, e.g. {@code RecordCodecBenchmark -f 1 -wi 3 -i 5}.
 */
public final class JmhMain {

    private JmhMain() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        String[] existing = cli.getJvmArgsAppend().orElse(java.util.List.of()).toArray(String[]::new);
        String[] chronicle = JvmFlags.forThisJvm();
        String[] flags = new String[existing.length + chronicle.length];
        System.arraycopy(existing, 0, flags, 0, existing.length);
        System.arraycopy(chronicle, 0, flags, existing.length, chronicle.length);
        new Runner(new OptionsBuilder().parent(cli).jvmArgsAppend(flags).build()).run();
    }
}
