package dev.strata.relay.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer interceptor (set with {@code interceptor.classes}) that notes, in order, each record handed to the
 * producer ({@code "send topic-partition"}) and each acknowledgement ({@code "ack topic-partition"}).
 */
public final class SendOrderInterceptor implements ProducerInterceptor<String, byte[]> {

    public static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
        EVENTS.add("send " + record.topic() + "-" + record.partition());
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (metadata != null && exception == null) {
            EVENTS.add("ack " + metadata.topic() + "-" + metadata.partition());
        }
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
