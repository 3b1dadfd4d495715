package dev.strata.bench.cli;

import dev.strata.bench.JmhMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code strata bench jmh ...}: JMH's own command line, with the Chronicle flags in every fork. */
@Command(name = "jmh", description = {"Run JMH benchmarks with JMH's own options, e.g. 'strata bench jmh CloudEventsBenchmark -f 1 -i 5'.",
        "'strata bench jmh -l' lists them."})
public final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JmhMain.main(args.toArray(String[]::new));
        return 0;
    }
}
