package dev.strata.bench.load;

import java.io.PrintStream;

/** Where a running workload reports how it is going, about once a second. */
@FunctionalInterface
public interface Progress {

    void report(String line);

    Progress NONE = line -> { };

    static Progress to(PrintStream out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }
}
