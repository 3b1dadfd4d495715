package dev.strata.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and how a suite ran: enough for a reader to judge the figures and rerun them.
 *
 * @param loadAverage the 1-, 5- and 15-minute load averages at the start and at the end: a loaded machine shows here
 */
public record Environment(String started, double seconds, String commit, String command, boolean quick, int runs,
                          String jdk, String jvmArgs, String os, String cpu, int cores, long memoryMiB, String loadAverage,
                          Map<String, String> postgres, String kafka, String axon, List<String> notMeasured) {

    /** What can be read from this machine and JVM now. */
    public static Environment capture(String command, boolean quick, int runs, Instant started, double seconds,
                                      String loadAtStart, Map<String, String> postgres, List<String> notMeasured) {
        Runtime runtime = Runtime.getRuntime();
        return new Environment(started.toString(), seconds, readCommit(), command, quick, runs,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
                String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> !a.startsWith("--add-") && !a.startsWith("-Dchronicle")).toList()),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                readCpu(), runtime.availableProcessors(), readMemoryMiB(), loadAtStart + " -> " + currentLoadAverage(), postgres,
                "Apache Kafka 4.3.1 (in-process KRaft broker from the test kit)", "Axon Framework 4.13.0 (axon-eventsourcing, JDBC engine)",
                new ArrayList<>(notMeasured));
    }

    public static String currentLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String readCpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch");
        }
    }

    static long readMemoryMiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The git commit of the working folder, with "+changes" when it has uncommitted changes. */
    static String readCommit() {
        String head = git("rev-parse", "--short=12", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = git("status", "--porcelain", "--untracked-files=no");
        return status == null || status.isBlank() ? head : head + "+changes";
    }

    private static String git(String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
