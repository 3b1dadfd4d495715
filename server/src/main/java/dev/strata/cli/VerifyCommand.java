package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.VerificationReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata verify}: checks a whole store without changing it. Exit 0 clean, 1 damaged, 2 usage. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every record's checksum, dense positions, contiguous versions and the index against the log.",
                "Works beside a running server (read-only). Exit 0: clean, 1: damaged, 2: usage."})
public final class VerifyCommand implements Callable<Integer> {

    @Mixin
    DataOption store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        VerificationReport report;
        try {
            report = EventStore.builder().directory(store.data).verify(line -> {
                err.println("strata verify: " + line);
                err.flush();
            });
        } catch (ValidationException e) {
            err.println("strata verify: " + e.getMessage());
            return 2;
        }
        out.println(report.summary());
        report.problems().forEach(problem -> out.println("  - " + problem));
        return report.clean() ? 0 : 1;
    }
}
