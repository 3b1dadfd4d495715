package dev.strata.projections;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of {@link ProjectionCrashIT}: appends events without end while the pipeline projects them, until it
 * is killed. Arguments: store folder, read-models folder, seed, and "rebuild" to start a rebuild as well.
 */
public final class CrashChild {

    private CrashChild() {
    }

    static ProjectionPipelineBuilder projections(EventStore store, Path readModels) {
        return ProjectionPipeline.builder(store).directory(readModels)
                .maxBatchEvents(64) // many commits: more chances for a kill to land in one
                .add(TestProjections.countPerStream("counts"), ProjectionOptions.defaults().withPartitions(2))
                .add(TestProjections.totals("totals"))
                .add(TestProjections.lastEvent("last"));
    }

    public static void main(String[] args) {
        Path storeDir = Path.of(args[0]);
        Path readModels = Path.of(args[1]);
        Random random = new Random(Long.parseLong(args[2]));
        boolean rebuild = args.length > 3 && args[3].equals("rebuild");
        EventStore store = EventStore.builder().directory(storeDir).durability(Durability.OS).open();
        ProjectionPipeline pipeline = projections(store, readModels).open();
        pipeline.start();
        if (rebuild) {
            pipeline.rebuild("counts");
        }
        System.out.println("started " + store.headPosition());
        long n = store.headPosition() + 1;
        while (true) {
            // One to three events per append, sometimes across two streams atomically.
            List<AppendRequest> requests = new ArrayList<>();
            int streams = 1 + random.nextInt(2);
            for (int s = 0; s < streams; s++) {
                int count = 1 + random.nextInt(3);
                List<dev.strata.eventstore.EventData> events = new ArrayList<>();
                for (int e = 0; e < count; e++) {
                    events.add(TestProjections.event("Counted", n++));
                }
                requests.add(new AppendRequest("k-" + (random.nextInt(40) + s * 40), ExpectedVersion.any(), events));
            }
            long last = store.appendAll(requests).get(requests.size() - 1).lastPosition();
            if (last % 50 < 3) {
                System.out.println("appended " + last);
            }
        }
    }
}
