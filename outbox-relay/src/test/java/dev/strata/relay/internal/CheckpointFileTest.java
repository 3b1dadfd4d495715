package dev.strata.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.relay.RelayStateException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    @TempDir
    Path dir;

    @Test
    void startsBeforeTheFirstPositionAndKeepsWhatWasWrittenAcrossReopens() {
        try (CheckpointFile checkpoint = CheckpointFile.open(dir, "r1")) {
            assertThat(checkpoint.position()).isEqualTo(-1);
            checkpoint.write(41);
            checkpoint.write(42);
        }
        try (CheckpointFile checkpoint = CheckpointFile.open(dir, "r1")) {
            assertThat(checkpoint.position()).isEqualTo(42);
        }
        assertThat(dir.resolve("r1.checkpoint")).hasSize(28);
        assertThat(dir.resolve("r1.checkpoint.tmp")).doesNotExist();
    }

    @Test
    void oneRelayPerNameAndDirectory() {
        try (CheckpointFile first = CheckpointFile.open(dir, "r1")) {
            assertThatThrownBy(() -> CheckpointFile.open(dir, "r1"))
                    .isInstanceOf(RelayStateException.class).hasMessageContaining("already running");
            try (CheckpointFile other = CheckpointFile.open(dir, "r2")) {
                assertThat(other.position()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aDamagedFileStopsTheRelayInsteadOfStartingOver() throws Exception {
        try (CheckpointFile checkpoint = CheckpointFile.open(dir, "r1")) {
            checkpoint.write(1_000);
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("r1.checkpoint"));
        bytes[9] ^= 0x10; // flip a bit of the position
        Files.write(dir.resolve("r1.checkpoint"), bytes);
        assertThatThrownBy(() -> CheckpointFile.open(dir, "r1"))
                .isInstanceOf(RelayStateException.class).hasMessageContaining("CRC");
        Files.write(dir.resolve("r1.checkpoint"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> CheckpointFile.open(dir, "r1"))
                .isInstanceOf(RelayStateException.class).hasMessageContaining("not a relay checkpoint");
    }

    @Test
    void aTemporaryFileLeftByACrashIsIgnored() throws Exception {
        try (CheckpointFile checkpoint = CheckpointFile.open(dir, "r1")) {
            checkpoint.write(7);
        }
        Files.write(dir.resolve("r1.checkpoint.tmp"), new byte[] {9, 9}); // a crash before the rename
        try (CheckpointFile checkpoint = CheckpointFile.open(dir, "r1")) {
            assertThat(checkpoint.position()).isEqualTo(7);
            checkpoint.write(8);
        }
        try (CheckpointFile checkpoint = CheckpointFile.open(dir, "r1")) {
            assertThat(checkpoint.position()).isEqualTo(8);
        }
    }
}
