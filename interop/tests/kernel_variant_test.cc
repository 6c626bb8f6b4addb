// Every fast variant against its reference loop, on seeded random shapes, parameters and data.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "edge_micro.h"

namespace {

struct Random {
    std::mt19937 gen;
    explicit Random(unsigned seed) : gen(seed) {}
    int32_t range(int32_t lo, int32_t hi) { return std::uniform_int_distribution<int32_t>(lo, hi)(gen); }
    std::vector<int8_t> bytes(size_t n)
    {
        std::vector<int8_t> v(n);
        for (auto &x : v) {
            x = (int8_t)range(-128, 127);
        }
        return v;
    }
};

struct Requant {
    std::vector<int32_t> mult, shift, bias;
    em_requant q;
    Requant(Random &r, int32_t channels, bool with_bias)
    {
        for (int32_t c = 0; c < channels; c++) {
            mult.push_back(r.range(1 << 30, INT32_MAX));
            shift.push_back(r.range(-12, -4));
            bias.push_back(r.range(-20000, 20000));
        }
        q = {mult.data(), shift.data(), with_bias ? bias.data() : nullptr};
    }
};

em_conv_params conv_params(Random &r, int32_t stride, int32_t dilation, int32_t pad_h, int32_t pad_w)
{
    em_conv_params p{};
    p.stride_w = stride;
    p.stride_h = r.range(1, 2);
    p.dilation_w = dilation;
    p.dilation_h = r.range(1, 2);
    p.pad_w = pad_w;
    p.pad_h = pad_h;
    p.input_offset = r.range(-127, 128);
    p.output_offset = r.range(-128, 127);
    p.act_min = r.range(-128, 0);
    p.act_max = r.range(0, 127);
    p.bias_folded = r.range(0, 3) == 0 ? 1 : 0;
    return p;
}

int32_t out_size(int32_t in, int32_t k, int32_t stride, int32_t dilation, int32_t pad)
{
    const int32_t eff = (k - 1) * dilation + 1;
    const int32_t n = (in + 2 * pad - eff) / stride + 1;
    return n < 1 ? 1 : n;
}

TEST(KernelVariants, ConvFastEqualsReference)
{
    Random r(1);
    for (int trial = 0; trial < 300; trial++) {
        em_dims in{r.range(1, 2), r.range(1, 12), r.range(1, 12), r.range(1, 9)};
        em_dims f{r.range(1, 9), r.range(1, 4), r.range(1, 4), in.c};
        em_conv_params p = conv_params(r, r.range(1, 3), r.range(1, 2), r.range(0, 2), r.range(0, 2));
        em_dims out{in.n, out_size(in.h, f.h, p.stride_h, p.dilation_h, p.pad_h), out_size(in.w, f.w, p.stride_w, p.dilation_w, p.pad_w), f.n};
        std::vector<int8_t> x = r.bytes((size_t)in.n * in.h * in.w * in.c);
        std::vector<int8_t> w = r.bytes((size_t)f.n * f.h * f.w * f.c);
        Requant q(r, out.c, r.range(0, 1) == 1);
        std::vector<int8_t> expected((size_t)out.n * out.h * out.w * out.c), actual(expected.size());
        ASSERT_EQ(EM_OK, em_conv_s8_reference(&p, &q.q, &in, x.data(), &f, w.data(), &out, expected.data()));
        ASSERT_EQ(EM_OK, em_conv_s8(&p, &q.q, &in, x.data(), &f, w.data(), &out, actual.data()));
        ASSERT_EQ(expected, actual) << "trial " << trial;
    }
}

TEST(KernelVariants, DepthwiseFastEqualsReference)
{
    Random r(2);
    for (int trial = 0; trial < 300; trial++) {
        int32_t m = r.range(1, 10);
        em_dims in{r.range(1, 2), r.range(1, 12), r.range(1, 12), r.range(1, 6)};
        em_dims f{1, r.range(1, 5), r.range(1, 5), in.c * m};
        em_conv_params p = conv_params(r, r.range(1, 3), r.range(1, 2), r.range(0, 2), r.range(0, 2));
        p.depth_multiplier = m;
        em_dims out{in.n, out_size(in.h, f.h, p.stride_h, p.dilation_h, p.pad_h), out_size(in.w, f.w, p.stride_w, p.dilation_w, p.pad_w), f.c};
        std::vector<int8_t> x = r.bytes((size_t)in.n * in.h * in.w * in.c);
        std::vector<int8_t> w = r.bytes((size_t)f.h * f.w * f.c);
        Requant q(r, out.c, r.range(0, 1) == 1);
        std::vector<int8_t> expected((size_t)out.n * out.h * out.w * out.c), actual(expected.size());
        ASSERT_EQ(EM_OK, em_depthwise_conv_s8_reference(&p, &q.q, &in, x.data(), &f, w.data(), &out, expected.data()));
        ASSERT_EQ(EM_OK, em_depthwise_conv_s8(&p, &q.q, &in, x.data(), &f, w.data(), &out, actual.data()));
        ASSERT_EQ(expected, actual) << "trial " << trial;
    }
}

TEST(KernelVariants, FullyConnectedFastEqualsReference)
{
    Random r(3);
    for (int trial = 0; trial < 300; trial++) {
        int32_t batches = r.range(1, 3), depth = r.range(1, 300), out_depth = r.range(1, 13);
        em_fc_params p{};
        p.input_offset = r.range(-127, 128);
        p.output_offset = r.range(-128, 127);
        p.act_min = -128;
        p.act_max = 127;
        p.multiplier_count = r.range(0, 1) ? 1 : out_depth;
        p.bias_folded = r.range(0, 1);
        std::vector<int8_t> x = r.bytes((size_t)batches * depth), w = r.bytes((size_t)out_depth * depth);
        Requant q(r, out_depth, true);
        std::vector<int8_t> expected((size_t)batches * out_depth), actual(expected.size());
        ASSERT_EQ(EM_OK, em_fully_connected_s8_reference(&p, &q.q, batches, depth, out_depth, x.data(), w.data(), expected.data()));
        ASSERT_EQ(EM_OK, em_fully_connected_s8(&p, &q.q, batches, depth, out_depth, x.data(), w.data(), actual.data()));
        ASSERT_EQ(expected, actual) << "trial " << trial;
    }
}

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
