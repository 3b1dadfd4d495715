package dev.strata.bench.projections;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ValueCodec;

/**
 * The benchmark's projections, keyed by the account in the event: an upsert (last amount per account) and a
 * read-modify-write (balance per account). Both write one 8-byte value per event.
 */
final class BenchProjections {

    private BenchProjections() {
    }

    static Projection<String, Long> upsert(String name) {
        return Projection.of(name, KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            JsonNode data = event.data(JsonNode.class);
            model.put("account-" + data.get("account").asLong(), data.get("amount").asLong());
        });
    }

    static Projection<String, Long> readModifyWrite(String name) {
        return Projection.of(name, KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            JsonNode data = event.data(JsonNode.class);
            String key = "account-" + data.get("account").asLong();
            model.put(key, model.get(key).orElse(0L) + data.get("amount").asLong());
        });
    }
}
