package dev.cmr.monitor.record;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.HdrHistogram.Histogram;

class HdrLayoutProperties {
    private final Histogram reference = HdrLayout.newHistogram();

    @Property(tries = 5000)
    void indexMapsEveryValueToTheBucketHdrHistogramUses(@ForAll @LongRange(min = 0, max = HdrLayout.HIGHEST_TRACKABLE_NANOS) long value) {
        int index = HdrLayout.index(value);
        assertThat(index).isBetween(0, HdrLayout.LENGTH - 1);
        // HdrHistogram's own notion of the bucket: its lowest equivalent value. Ours must agree exactly.
        assertThat(HdrLayout.valueAtIndex(index)).isEqualTo(reference.lowestEquivalentValue(value));
    }

    @Property(tries = 2000)
    void neighbouringIndicesAreNeighbouringBuckets(@ForAll @IntRange(min = 1, max = HdrLayout.LENGTH - 1) int index) {
        long low = HdrLayout.valueAtIndex(index);
        assertThat(HdrLayout.index(low)).isEqualTo(index);
        assertThat(HdrLayout.index(low - 1)).isEqualTo(index - 1);
        assertThat(reference.nextNonEquivalentValue(HdrLayout.valueAtIndex(index - 1))).isEqualTo(low);
    }

    @Property(tries = 200)
    void valuesAboveTheRangeLandInTheTopBucket(@ForAll @LongRange(min = HdrLayout.HIGHEST_TRACKABLE_NANOS, max = Long.MAX_VALUE) long value) {
        assertThat(HdrLayout.index(value)).isEqualTo(HdrLayout.LENGTH - 1);
    }
}
