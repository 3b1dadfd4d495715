package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the store lives on a small tmpfs mounted by the test, which a filler file then fills. Appends
 * must fail with a StorageException that says so, write nothing, leave the store readable, and succeed again once
 * space is back, without a restart. Needs permission to mount a tmpfs (root with CAP_SYS_ADMIN); skipped, saying
 * why, where the machine forbids it.
 */
class DiskFullIT {

    @TempDir
    Path temp;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mountPoint = temp.resolve("fs");
        Files.createDirectories(mountPoint);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        boolean ok = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        Assumptions.assumeTrue(ok, "this machine does not let the test mount a tmpfs (" + output
                + "); the disk-full test needs root with CAP_SYS_ADMIN");
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskFailsAppendsCleanlyAndTheyResumeWhenSpaceIsBack() throws IOException {
        Path directory = mountPoint.resolve("store");
        Path filler = mountPoint.resolve("filler");
        long acknowledged = 0;
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.FSYNC).open()) {
            for (int i = 0; i < 10; i++) {
                store.append("disk-" + (i % 3), ExpectedVersion.any(), event());
                acknowledged++;
            }
            fill(filler);

            StorageException failure = null;
            for (int i = 0; i < 200_000 && failure == null; i++) {
                try {
                    store.append("disk-" + (i % 3), ExpectedVersion.any(), event());
                    acknowledged++;
                } catch (StorageException e) {
                    failure = e;
                }
            }
            assertThat(failure).as("an append on a full disk fails").isNotNull();
            assertThat(failure.getMessage()).contains("disk full");
            assertThat(failure.isRetryable()).isTrue();
            assertThat(failure.outcomeUnknown()).isFalse();

            assertThat(store.headPosition()).as("nothing partial was written").isEqualTo(acknowledged - 1);
            for (int i = 0; i < 3; i++) {
                long before = store.headPosition();
                try {
                    store.append("disk-0", ExpectedVersion.any(), event());
                    acknowledged++;
                } catch (StorageException e) {
                    assertThat(store.headPosition()).isEqualTo(before);
                }
            }
            assertThat(store.readAll(0, Integer.MAX_VALUE).count()).as("the store stays readable").isEqualTo(acknowledged);
            assertThat(store.readStream("disk-1", 0, Direction.FORWARD, 100).count()).isPositive();

            Files.delete(filler);

            AppendResult after = store.append("disk-0", ExpectedVersion.any(), event());
            acknowledged++;
            assertThat(after.lastPosition()).as("appends resume without a restart").isEqualTo(acknowledged - 1);
        }
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.FSYNC).open()) {
            assertThat(store.readAll(0, Integer.MAX_VALUE).count()).isEqualTo(acknowledged);
        }
    }

    private static EventData event() {
        return EventData.json("Filled", "{\"id\":\"" + UUID.randomUUID() + "\",\"pad\":\"" + "p".repeat(900) + "\"}");
    }

    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }
}
