package dev.strata.eventstore.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.CorruptLogException;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.internal.codec.AppendEncoder;
import dev.strata.eventstore.internal.codec.EncodedAppend;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash or power loss in the middle of the last writes, simulated on the files: the last cycle file is cut at
 * every byte of the last records, and every byte of them is flipped. Opening must always recover a prefix of what
 * was written (never a damaged record), and appends must continue after it. Damage below the durable watermark is
 * corruption and must be reported, not cut.
 */
class TornTailRecoveryTest {

    private static final long BLOCK = 1 << 20;
    private static final String ROLL = "FAST_DAILY";
    private static final int DURABLE = 20;
    private static final int TAIL = 3;

    @TempDir
    Path temp;

    private Path template;
    private final List<byte[]> written = new ArrayList<>();
    private final List<long[]> tailExtents = new ArrayList<>(); // {fileOffset of header, end offset}
    private Path cycleFile;

    @BeforeEach
    void writeTemplate() throws IOException {
        template = temp.resolve("template");
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(template, false, ROLL, BLOCK)) {
            for (int i = 0; i < DURABLE; i++) {
                append(log, i);
            }
            log.syncOnClose();
        }
        Path durableMark = temp.resolve("watermark-durable");
        Files.copy(template.resolve(CommitWatermark.FILE_NAME), durableMark);
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(template, false, ROLL, BLOCK)) {
            log.rebuildPositionMap();
            for (int i = DURABLE; i < DURABLE + TAIL; i++) {
                append(log, i);
            }
            log.syncOnClose();
        }
        // A crash before the watermark of the last writes reached the disk: recovery starts from the older one.
        Files.copy(durableMark, template.resolve(CommitWatermark.FILE_NAME), StandardCopyOption.REPLACE_EXISTING);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(template.resolve("log"), "*.cq4")) {
            cycleFile = files.iterator().next().getFileName();
        }
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(template.resolve("log").toFile())
                .rollCycle(RollCycles.FAST_DAILY).blockSize(BLOCK).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            int record = 0;
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    if (record >= DURABLE) {
                        tailExtents.add(new long[] {bytes.readPosition() - 4, bytes.readLimit()});
                    }
                    record++;
                }
            }
            assertThat(record).isEqualTo(DURABLE + TAIL);
        }
    }

    private void append(ChronicleEventLog log, int i) {
        EventData event = EventData.json("E", "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 7) + "\"}");
        EncodedAppend encoded = AppendEncoder.encode(List.of(AppendRequest.of("s-" + (i % 3), ExpectedVersion.any(), event)), 1 << 20);
        encoded.stamp(i, 1_700_000_000_000_000L + i, new long[] {i / 3});
        log.append(encoded.record(), encoded.length(), i, i);
        log.commit();
        written.add(encoded.record().clone());
    }

    @Test
    void cuttingTheLastRecordsAtEveryByteRecoversAPrefixAndAppendsContinue() throws IOException {
        long from = tailExtents.get(0)[0];
        long to = tailExtents.get(TAIL - 1)[1];
        for (long cut = from; cut <= to; cut++) {
            Path store = copyTemplate("cut-" + cut);
            try (FileChannel channel = FileChannel.open(store.resolve("log").resolve(cycleFile), StandardOpenOption.WRITE)) {
                channel.truncate(cut);
            }
            int survivors = 0;
            for (long[] extent : tailExtents) {
                if (extent[1] <= cut) {
                    survivors++;
                }
            }
            assertRecoversPrefix(store, DURABLE + survivors, "cut at byte " + cut);
            deleteRecursively(store);
        }
    }

    @Test
    void flippingAnyByteOfTheLastRecordNeverYieldsADamagedRecord() throws IOException {
        long[] last = tailExtents.get(TAIL - 1);
        for (long at = last[0]; at < last[1]; at++) {
            Path store = copyTemplate("flip-" + at);
            try (RandomAccessFile file = new RandomAccessFile(store.resolve("log").resolve(cycleFile).toFile(), "rw")) {
                file.seek(at);
                int b = file.read();
                file.seek(at);
                file.write(b ^ 0xff);
            }
            int kept = recoverAndCount(store, "flip at byte " + at);
            assertThat(kept).as("flip at byte %d", at).isBetween(DURABLE, DURABLE + TAIL - 1);
            deleteRecursively(store);
        }
    }

    @Test
    void damageBelowTheDurableWatermarkIsReportedNotCut() throws IOException {
        Path store = copyTemplate("below");
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(store.resolve("log").toFile())
                .rollCycle(RollCycles.FAST_DAILY).blockSize(BLOCK).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            long durableRecord = 0;
            for (int i = 0; i < DURABLE; i++) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    durableRecord = dc.wire().bytes().readPosition();
                }
            }
            try (RandomAccessFile file = new RandomAccessFile(store.resolve("log").resolve(cycleFile).toFile(), "rw")) {
                file.seek(durableRecord + 10);
                file.write(0x5a);
            }
        }
        assertThatThrownBy(() -> ChronicleEventLog.openForWriting(store, false, ROLL, BLOCK))
                .isInstanceOf(CorruptLogException.class)
                .hasMessageContaining("below the watermark");
    }

    private void assertRecoversPrefix(Path store, int expected, String what) {
        int kept = recoverAndCount(store, what);
        assertThat(kept).as(what).isEqualTo(expected);
    }

    /** Opens, checks the records are a prefix of what was written, appends one more and reads it back. */
    private int recoverAndCount(Path store, String what) {
        List<byte[]> read = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(store, false, ROLL, BLOCK)) {
            log.rebuildPositionMap();
            readAll(log, read);
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i)).as("%s: record %d", what, i).isEqualTo(written.get(i));
            }
            int kept = read.size();
            assertThat(log.committed().position()).as(what).isEqualTo(kept - 1);
            append(log, kept);
            written.remove(written.size() - 1);
            read.clear();
            readAll(log, read);
            assertThat(read).as("%s: appends continue after recovery", what).hasSize(kept + 1);
            return kept;
        }
    }

    private static void readAll(ChronicleEventLog log, List<byte[]> into) {
        try (LogCursor cursor = log.cursor()) {
            cursor.toStart();
            while (cursor.next(log.committed())) {
                into.add(Arrays.copyOf(cursor.view().buffer(), cursor.view().length()));
            }
        }
    }

    private Path copyTemplate(String name) throws IOException {
        Path target = temp.resolve(name);
        try (Stream<Path> files = Files.walk(template)) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(template.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else if (!source.getFileName().toString().equals(WriterLock.FILE_NAME)) {
                    Files.copy(source, destination);
                }
            }
        }
        return target;
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
