package dev.strata.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamPickerTest {

    @Test
    void zipfProbabilitiesFollowTheLawAndSumToOne() {
        StreamPicker zipf = StreamPicker.zipf(1000, 0.99);
        double sum = 0;
        for (int k = 0; k < 1000; k++) {
            sum += zipf.probability(k);
        }
        assertThat(sum).isCloseTo(1.0, within(1e-9));
        // p(k) is proportional to 1/(k+1)^s
        assertThat(zipf.probability(0) / zipf.probability(9)).isCloseTo(Math.pow(10, 0.99), within(1e-6));
        assertThat(zipf.probability(0)).isGreaterThan(zipf.probability(1));
    }

    @Test
    void zipfPicksMatchTheProbabilities() {
        StreamPicker zipf = StreamPicker.zipf(100, 1.1);
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[100];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[zipf.next(random)]++;
        }
        for (int k : new int[] {0, 1, 5, 50, 99}) {
            double expected = zipf.probability(k) * draws;
            assertThat((double) counts[k]).as("stream %d", k).isCloseTo(expected, within(5 * Math.sqrt(expected) + 5));
        }
    }

    @Test
    void uniformStaysInRangeAndCoversEveryStream() {
        StreamPicker uniform = StreamPicker.uniform(10);
        SplittableRandom random = new SplittableRandom(2);
        boolean[] seen = new boolean[10];
        for (int i = 0; i < 1000; i++) {
            int k = uniform.next(random);
            assertThat(k).isBetween(0, 9);
            seen[k] = true;
        }
        assertThat(seen).containsOnly(true);
    }

    @Test
    void theSameSeedPicksTheSameStreams() {
        StreamPicker zipf = StreamPicker.zipf(10_000, 0.99);
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertThat(zipf.next(a)).isEqualTo(zipf.next(b));
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheValue() {
        assertThatThrownBy(() -> StreamPicker.uniform(0)).hasMessageContaining("streams must be >= 1 but was 0");
        assertThatThrownBy(() -> StreamPicker.zipf(10, -1)).hasMessageContaining("zipf exponent must be > 0 but was -1");
    }
}
