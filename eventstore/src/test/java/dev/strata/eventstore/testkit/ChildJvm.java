package dev.strata.eventstore.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for crash tests: same java, same classpath and same JVM flags as the test (Chronicle needs them),
 * running {@code mainClass}. Its stdout lines arrive in {@link #lines()} as it prints them, so a test can record what
 * the child acknowledged before it {@link #kill()}s it with SIGKILL.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "child-jvm-stdout-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code mainClass} with {@code args}; stderr goes to {@code stderrFile} (for a failing test's report). */
    public static ChildJvm start(Class<?> mainClass, Path stderrFile, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Keep the module and Chronicle flags; drop agents and debug options surefire may add.
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access")
                    || argument.startsWith("--sun-misc") || argument.startsWith("-Dchronicle") || argument.startsWith("-Xss")) {
                command.add(argument);
            }
        }
        command.add("-Xmx512m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
                    .start();
            return new ChildJvm(process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a child JVM: " + command, e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child died: that is the point of most tests
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Lines the child printed, in order, as they arrive. */
    public BlockingQueue<String> lines() {
        return lines;
    }

    /** Waits up to {@code timeout} for a line, or null. */
    public String nextLine(Duration timeout) throws InterruptedException {
        return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every line printed so far, after the child is gone (waits for the output to be drained). */
    public List<String> drainedLines() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(10));
        List<String> all = new ArrayList<>();
        lines.drainTo(all);
        return all;
    }

    /** SIGKILL: no shutdown hook, no flush, no close; then waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for a normal exit and returns its code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("child JVM " + process.pid() + " did not exit within " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
