package dev.strata.eventstore.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.internal.log.Commit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream reads merge the writer's recent sections with the index without waiting for the indexer: no section twice,
 * none missing, none beyond the commit.
 */
class LiveSectionsTest {

    @TempDir
    Path directory;

    private StreamIndex index;
    private final RecentSections recent = new RecentSections();
    private long committed;
    private LiveSections live;

    // Stream "s": versions 0-1 @ positions 10-11, 2 @ 20, 3-4 @ 30-31, 5 @ 40, 6-7 @ 50-51.
    private static final StreamIndex.Section V0 = new StreamIndex.Section(0, 2, 100, 10);
    private static final StreamIndex.Section V2 = new StreamIndex.Section(2, 1, 200, 20);
    private static final StreamIndex.Section V3 = new StreamIndex.Section(3, 2, 300, 30);
    private static final StreamIndex.Section V5 = new StreamIndex.Section(5, 1, 400, 40);
    private static final StreamIndex.Section V6 = new StreamIndex.Section(6, 2, 500, 50);

    @BeforeEach
    void setUp() {
        index = StreamIndex.open(directory);
        try (StreamIndex.Batch batch = index.newBatch()) {
            for (StreamIndex.Section section : List.of(V0, V2, V3)) {
                batch.section("s", "s", section);
            }
            batch.commit(new StreamIndex.Checkpoint(new Commit(300, 31), new UUID(0, 1)));
        }
        // The writer has not forgotten V3 yet (the indexer just passed it); V6 is written but not committed.
        for (StreamIndex.Section section : List.of(V3, V5, V6)) {
            recent.add("s", section);
        }
        committed = 40;
        live = new LiveSections(index, recent, () -> committed);
    }

    @AfterEach
    void tearDown() {
        index.close();
    }

    private List<StreamIndex.Section> read(long from, boolean forward) {
        List<StreamIndex.Section> seen = new ArrayList<>();
        live.sections("s", from, forward, seen::add);
        return seen;
    }

    @Test
    void forwardReadsEverySectionOnceUpToTheCommit() {
        assertThat(read(0, true)).containsExactly(V0, V2, V3, V5);
        assertThat(read(4, true)).containsExactly(V3, V5);
        assertThat(read(5, true)).containsExactly(V5);
        assertThat(read(6, true)).isEmpty();
    }

    @Test
    void backwardReadsEverySectionOnceFromTheCommit() {
        assertThat(read(Long.MAX_VALUE, false)).containsExactly(V5, V3, V2, V0);
        assertThat(read(3, false)).containsExactly(V3, V2, V0);
        assertThat(read(1, false)).containsExactly(V0);
    }

    @Test
    void theLastSectionIsTheLastCommittedOne() {
        assertThat(live.lastSection("s")).isEqualTo(V5);
        committed = 51;
        assertThat(live.lastSection("s")).isEqualTo(V6);
        assertThat(read(0, true)).containsExactly(V0, V2, V3, V5, V6);
    }

    @Test
    void forgottenSectionsComeFromTheIndex() {
        recent.forgetUpTo(31);
        assertThat(read(0, true)).containsExactly(V0, V2, V3, V5);
        recent.forgetUpTo(51);
        assertThat(read(0, true)).containsExactly(V0, V2, V3); // V5 and V6 not indexed: only a real indexer adds them
        assertThat(live.lastSection("other")).isNull();
    }
}
