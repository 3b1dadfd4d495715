package dev.strata.relay;

import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.ValidationException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which Kafka topic an event goes to, chosen from its stream's category. By default one topic per category, named
 * {@code <prefix><category>} (characters Kafka does not allow in a topic name, {@code :}, {@code @} and {@code $},
 * become {@code _}); single categories can be sent elsewhere with {@link #with}; {@link #single} sends everything to one
 * topic. Immutable.
 */
public final class TopicMapping {

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final String prefix;
    private final String single;
    private final Map<String, String> overrides;

    private TopicMapping(String prefix, String single, Map<String, String> overrides) {
        this.prefix = prefix;
        this.single = single;
        this.overrides = overrides;
    }

    /** One topic per category, named after it: stream {@code order-42} goes to topic {@code order}. */
    public static TopicMapping perCategory() {
        return perCategory("");
    }

    /** One topic per category, named {@code prefix + category}: {@code strata.order}. */
    public static TopicMapping perCategory(String prefix) {
        if (prefix == null || !(prefix.isEmpty() || TOPIC.matcher(prefix).matches())) {
            throw new ValidationException("topic prefix", prefix, "must match [A-Za-z0-9._-]{0,249}");
        }
        return new TopicMapping(prefix, null, Map.of());
    }

    /** Every event to one topic (still keyed by stream, so per-stream order holds). */
    public static TopicMapping single(String topic) {
        requireTopic("topic", topic);
        return new TopicMapping("", topic, Map.of());
    }

    /** This mapping, with the events of {@code category} going to {@code topic}. */
    public TopicMapping with(String category, String topic) {
        StreamNames.requireCategory(category);
        requireTopic("topic for category " + category, topic);
        Map<String, String> copy = new LinkedHashMap<>(overrides);
        copy.put(category, topic);
        return new TopicMapping(prefix, single, Collections.unmodifiableMap(copy));
    }

    public String topicFor(String stream) {
        String category = StreamNames.categoryOf(stream);
        String topic = overrides.get(category);
        if (topic != null) {
            return topic;
        }
        if (single != null) {
            return single;
        }
        StringBuilder name = new StringBuilder(prefix.length() + category.length()).append(prefix);
        for (int i = 0; i < category.length(); i++) {
            char c = category.charAt(i);
            name.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
        }
        return name.length() > 249 ? name.substring(0, 249) : name.toString();
    }

    private static void requireTopic(String field, String topic) {
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new ValidationException(field, topic, "must be a Kafka topic name ([A-Za-z0-9._-]{1,249}, not . or ..)");
        }
    }

    @Override
    public String toString() {
        return single != null ? "topic " + single + (overrides.isEmpty() ? "" : " except " + overrides)
                : "topic per category" + (prefix.isEmpty() ? "" : " with prefix " + prefix) + (overrides.isEmpty() ? "" : " except " + overrides);
    }
}
