// Kernels refuse what they cannot compute with a status, never a crash. (Fast variants against reference loops:
// tests/baremetal/kernel_variants.c, the same program on the host and on the boards' instruction sets.)
#include <gtest/gtest.h>

#include "edge_micro.h"

namespace {

TEST(KernelStatus, NullPointersAndBadShapesAreRefusedNotCrashed)
{
    em_conv_params p{};
    p.stride_w = p.stride_h = p.dilation_w = p.dilation_h = 1;
    em_dims d{1, 1, 1, 1};
    int8_t buf[1] = {0};
    int32_t one = 1 << 30, zero = 0;
    em_requant q{&one, &zero, nullptr};
    EXPECT_EQ(EM_ERR_NULL, em_conv_s8(&p, &q, &d, nullptr, &d, buf, &d, buf));
    em_dims bad{1, 1, 1, 2};
    EXPECT_EQ(EM_ERR_SHAPE, em_conv_s8(&p, &q, &d, buf, &bad, buf, &d, buf));
    EXPECT_EQ(EM_ERR_SHAPE, em_depthwise_conv_s8(&p, &q, &d, buf, &d, buf, &d, buf));  // depth multiplier 0
    em_softmax_params sp{1 << 30, 0, -1};
    EXPECT_EQ(EM_ERR_SHAPE, em_softmax_s8(&sp, 1, 1000, buf, buf));
    p.stride_w = 0;
    EXPECT_EQ(EM_ERR_PARAMS, em_conv_s8(&p, &q, &d, buf, &d, buf, &d, buf));
}

}  // namespace
