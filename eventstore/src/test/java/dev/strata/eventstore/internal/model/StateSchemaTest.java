package dev.strata.eventstore.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateSchemaTest {

    enum Status { OPEN, CLOSED }

    record Line(String sku, int quantity) {
    }

    record Order(String id, Status status, List<Line> lines, Map<String, Long> totals) {
    }

    record OrderWithRenamedField(String id, Status status, List<Line> items, Map<String, Long> totals) {
    }

    sealed interface Shape permits Circle, Square {
    }

    record Circle(double radius) implements Shape {
    }

    record Square(double side) implements Shape {
    }

    record Node(String name, List<Node> children) {
    }

    @Test
    void describesComponentsRecursivelyWithGenerics() {
        String order = StateSchema.describe(Order.class);
        assertThat(order).contains("id:java.lang.String", "status:" + Status.class.getName() + "[OPEN,CLOSED]",
                "lines:java.util.List<" + Line.class.getName() + "{sku:java.lang.String,quantity:int}>",
                "totals:java.util.Map<java.lang.String,java.lang.Long>");
        assertThat(StateSchema.describe(Shape.class)).contains("radius:double", "side:double");
        assertThat(StateSchema.describe(Node.class)).isEqualTo(Node.class.getName()
                + "{name:java.lang.String,children:java.util.List<" + Node.class.getName() + ">}");
    }

    @Test
    void anyChangeOfShapeChangesTheHash() {
        assertThat(StateSchema.hash(Order.class)).hasSize(16).isEqualTo(StateSchema.hash(Order.class))
                .isNotEqualTo(StateSchema.hash(OrderWithRenamedField.class));
        assertThat(StateSchema.describe(OrderWithRenamedField.class).replace(OrderWithRenamedField.class.getName(), ""))
                .isNotEqualTo(StateSchema.describe(Order.class).replace(Order.class.getName(), ""));
    }
}
