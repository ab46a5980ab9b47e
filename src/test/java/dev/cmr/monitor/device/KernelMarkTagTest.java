package dev.cmr.monitor.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelMarkTagTest {
    @Test
    void aKernelTagCarriesPassLayerKernelAndOrdinalToTheirLimits() {
        long pass = (1L << 40) + 0xDEAD_BEEFL;
        long tag = KernelMarkTag.of(pass, KernelMarkTag.MAX_LAYER, 126, KernelMarkTag.MAX_ORDINAL);

        assertThat(KernelMarkTag.isKernel(tag)).isTrue();
        assertThat(KernelMarkTag.passLow32(tag)).isEqualTo(0xDEAD_BEEFL);
        assertThat(KernelMarkTag.layer(tag)).isEqualTo(KernelMarkTag.MAX_LAYER);
        assertThat(KernelMarkTag.kernelId(tag)).isEqualTo(126);
        assertThat(KernelMarkTag.ordinal(tag)).isEqualTo(KernelMarkTag.MAX_ORDINAL);
        long small = KernelMarkTag.of(5, 3, 2, 1);
        assertThat(KernelMarkTag.layer(small)).isEqualTo(3);
        assertThat(KernelMarkTag.kernelId(small)).isEqualTo(2);
        assertThat(KernelMarkTag.ordinal(small)).isEqualTo(1);
    }

    @Test
    void layerMarksAreNeverKernelMarks() {
        long highestPass = (1L << 43) - 1;
        assertThat(KernelMarkTag.isKernel(LayerMarkTag.start(highestPass, LayerMarkTag.MAX_LAYER))).isFalse();
        assertThat(KernelMarkTag.isKernel(LayerMarkTag.end(highestPass, LayerMarkTag.MAX_LAYER))).isFalse();
        assertThat(KernelMarkTag.isKernel(LayerMarkTag.start(0, 0))).isFalse();
    }

    @Test
    void kernelIdsResolveBackToTheirNamesAndTheSameNameKeepsItsId() {
        int id = KernelMarkTag.kernelId("kernel_mark_tag_test");
        assertThat(KernelMarkTag.kernelId("kernel_mark_tag_test")).isEqualTo(id);
        assertThat(KernelMarkTag.kernelName(id)).isEqualTo("kernel_mark_tag_test");
        assertThat(KernelMarkTag.kernelName(KernelMarkTag.MAX_KERNEL_NAMES - 1)).isEqualTo(KernelMarkTag.OTHER);
        assertThatThrownBy(() -> KernelMarkTag.kernelId(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("kernel name must not be blank");
    }

    @Test
    void namesBeyondTheBoundShareTheLastIdNamedOther() {
        KernelMarkTag.Registry registry = new KernelMarkTag.Registry(3);
        assertThat(registry.id("a")).isZero();
        assertThat(registry.id("b")).isEqualTo(1);
        assertThat(registry.id("c")).isEqualTo(2);
        assertThat(registry.id("d")).isEqualTo(2);
        assertThat(registry.id("a")).isZero();
        assertThat(registry.name(2)).isEqualTo("other");
        assertThat(registry.name(1)).isEqualTo("b");
        assertThat(registry.name(7)).isNull();
    }
}
