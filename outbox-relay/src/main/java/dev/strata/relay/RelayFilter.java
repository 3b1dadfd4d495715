package dev.strata.relay;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.ValidationException;
import java.util.Set;

/**
 * Which events a relay publishes: those of the listed categories (all user categories when empty) and of the listed
 * types (all types when empty). System streams ({@code $...}) are published only when their category is listed by
 * name. Events left out still move the checkpoint: the relay has dealt with their positions.
 */
public record RelayFilter(Set<String> categories, Set<String> types) {

    public RelayFilter {
        if (categories == null) {
            throw new ValidationException("filter.categories", null, "must not be null (empty means all)");
        }
        if (types == null) {
            throw new ValidationException("filter.types", null, "must not be null (empty means all)");
        }
        categories.forEach(StreamNames::requireCategory);
        for (String type : types) {
            if (type == null || type.isBlank()) {
                throw new ValidationException("filter.types", type, "must not contain a blank type");
            }
        }
        categories = Set.copyOf(categories);
        types = Set.copyOf(types);
    }

    /** Every event of every user stream. */
    public static RelayFilter all() {
        return new RelayFilter(Set.of(), Set.of());
    }

    public static RelayFilter categories(String... categories) {
        return new RelayFilter(Set.of(categories), Set.of());
    }

    public RelayFilter withTypes(String... eventTypes) {
        return new RelayFilter(categories, Set.of(eventTypes));
    }

    public boolean test(RecordedEvent event) {
        String category = event.category();
        if (categories.isEmpty()) {
            if (event.stream().startsWith(StreamNames.SYSTEM_PREFIX)) {
                return false;
            }
        } else if (!categories.contains(category)) {
            return false;
        }
        return types.isEmpty() || types.contains(event.type());
    }
}
