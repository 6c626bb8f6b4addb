// The 16x8 kernels against a transcription of TFLM's templates (reference_integer_ops::ConvPerChannel,
// DepthwiseConvPerChannel and FullyConnected with AccumScalar int32_t or int64_t), written out here with the
// two MultiplyByQuantizedMultiplier forms, on random shapes, weights, biases and inputs. The int64 form is
// also checked against TensorFlow Lite itself by the xunit suite (S16Tests); TensorFlow Lite has no int32-bias
// 16x8 kernels, so this is the check of that path.
#include <gtest/gtest.h>

#include <cstdint>
#include <cmath>
#include <random>
#include <vector>

extern "C" {
#include "edge_micro.h"
}

namespace {

int32_t Mbqm32(int32_t x, int32_t m, int shift)
{
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    const int32_t a = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
    int32_t high;
    if (a == INT32_MIN && m == INT32_MIN) {
        high = INT32_MAX;
    } else {
        const int64_t ab = static_cast<int64_t>(a) * m;
        const int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
        high = static_cast<int32_t>((ab + nudge) / (1LL << 31));
    }
    const int32_t mask = static_cast<int32_t>((1LL << right) - 1);
    const int32_t rem = high & mask, threshold = (mask >> 1) + (high < 0 ? 1 : 0);
    return (high >> right) + (rem > threshold ? 1 : 0);
}

int32_t Mbqm64(int64_t x, int32_t m, int shift)
{
    const int32_t reduced = m < 0x7FFF0000 ? (m + (1 << 15)) >> 16 : 0x7FFF;
    const int total = 15 - shift;
    return static_cast<int32_t>((x * reduced + (static_cast<int64_t>(1) << (total - 1))) >> total);
}

int32_t Scale(int32_t acc, int32_t m, int s) { return Mbqm32(acc, m, s); }
int32_t Scale(int64_t acc, int32_t m, int s) { return Mbqm64(acc, m, s); }

template <typename Acc>
int16_t Finish(Acc acc, const Acc *bias, int c, const std::vector<int32_t> &mult, const std::vector<int32_t> &shift, int qc,
               int lo, int hi)
{
    if (bias) {
        acc = static_cast<Acc>(static_cast<int64_t>(acc) + bias[c]);  // int32: wraps like TFLM's int32 sum
    }
    int32_t v = Scale(acc, mult[qc], shift[qc]);
    return static_cast<int16_t>(std::min(hi, std::max(lo, v)));
}

struct Case {
    std::mt19937 rng;
    explicit Case(uint32_t seed) : rng(seed) {}
    int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    template <typename T>
    std::vector<T> Values(size_t n, int lo, int hi)
    {
        std::vector<T> v(n);
        for (auto &x : v) x = static_cast<T>(Int(lo, hi));
        return v;
    }
};

// Packs bias values the way the .emm stores them: int32, or int64 as (low, high) int32 pairs.
template <typename Acc>
std::vector<int32_t> Pack(const std::vector<Acc> &bias)
{
    std::vector<int32_t> out;
    for (Acc b : bias) {
        if (sizeof(Acc) == 8) {
            out.push_back(static_cast<int32_t>(static_cast<uint64_t>(b) & 0xFFFFFFFFu));
            out.push_back(static_cast<int32_t>(static_cast<uint64_t>(b) >> 32));
        } else {
            out.push_back(static_cast<int32_t>(b));
        }
    }
    return out;
}

template <typename Acc>
void CheckConv(uint32_t seed, bool depthwise, bool with_bias)
{
    Case r(seed);
    const int n = 1, h = r.Int(3, 9), w = r.Int(3, 9), in_c = r.Int(1, 4), kh = r.Int(1, 3), kw = r.Int(1, 3);
    const int mult_d = depthwise ? r.Int(1, 2) : 0, out_c = depthwise ? in_c * mult_d : r.Int(1, 5);
    const int stride = r.Int(1, 2), pad_h = kh / 2, pad_w = kw / 2;
    const int oh = (h + 2 * pad_h - kh) / stride + 1, ow = (w + 2 * pad_w - kw) / stride + 1;
    const int f_n = depthwise ? 1 : out_c, f_c = depthwise ? out_c : in_c;
    auto input = r.Values<int16_t>(n * h * w * in_c, -32768, 32767);
    auto filter = r.Values<int8_t>(f_n * kh * kw * f_c, -127, 127);
    std::vector<Acc> bias(out_c);
    for (auto &b : bias) b = static_cast<Acc>(sizeof(Acc) == 8 ? (static_cast<int64_t>(r.Int(-(1 << 30), 1 << 30)) * 16) : r.Int(-(1 << 30), 1 << 30));
    std::vector<int32_t> mult(out_c), shift(out_c);
    for (int c = 0; c < out_c; c++) {
        mult[c] = r.Int(1 << 30, INT32_MAX);
        shift[c] = r.Int(-22, -14);
    }
    std::vector<int16_t> expected(n * oh * ow * out_c), actual(expected.size());
    for (int oy = 0; oy < oh; oy++) {
        for (int ox = 0; ox < ow; ox++) {
            for (int oc = 0; oc < out_c; oc++) {
                Acc acc = 0;
                for (int fy = 0; fy < kh; fy++) {
                    for (int fx = 0; fx < kw; fx++) {
                        const int iy = oy * stride - pad_h + fy, ix = ox * stride - pad_w + fx;
                        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                        if (depthwise) {
                            acc = static_cast<Acc>(static_cast<int64_t>(acc) + filter[(fy * kw + fx) * out_c + oc] * input[(iy * w + ix) * in_c + oc / mult_d]);
                        } else {
                            for (int ic = 0; ic < in_c; ic++) {
                                acc = static_cast<Acc>(static_cast<int64_t>(acc) + filter[((oc * kh + fy) * kw + fx) * in_c + ic] * input[(iy * w + ix) * in_c + ic]);
                            }
                        }
                    }
                }
                expected[(oy * ow + ox) * out_c + oc] = Finish<Acc>(acc, with_bias ? bias.data() : nullptr, oc, mult, shift, oc, -30000, 32767);
            }
        }
    }
    std::vector<int32_t> packed = Pack(bias);
    const em_conv_s16_params p = {stride, stride, 1, 1, pad_w, pad_h, -30000, 32767, mult_d, 0, 0, 0, sizeof(Acc) == 8 ? 64 : 32};
    const em_requant q = {mult.data(), shift.data(), with_bias ? packed.data() : nullptr};
    const em_dims di = {n, h, w, in_c}, df = {f_n, kh, kw, f_c}, dout = {n, oh, ow, out_c};
    const em_status s = depthwise ? em_depthwise_conv_s16(&p, &q, &di, input.data(), &df, filter.data(), &dout, actual.data())
                                  : em_conv_s16(&p, &q, &di, input.data(), &df, filter.data(), &dout, actual.data());
    ASSERT_EQ(s, EM_OK);
    ASSERT_EQ(actual, expected) << "seed " << seed << (depthwise ? " depthwise" : " conv");
}

template <typename Acc>
void CheckFullyConnected(uint32_t seed, bool with_bias, bool per_channel)
{
    Case r(seed);
    const int batches = r.Int(1, 3), depth = r.Int(1, 64), out_depth = r.Int(1, 6);
    auto input = r.Values<int16_t>(batches * depth, -32768, 32767);
    auto weights = r.Values<int8_t>(out_depth * depth, -127, 127);
    std::vector<Acc> bias(out_depth);
    for (auto &b : bias) b = static_cast<Acc>(r.Int(-(1 << 30), 1 << 30));
    const int count = per_channel ? out_depth : 1;
    std::vector<int32_t> mult(count), shift(count);
    for (int c = 0; c < count; c++) {
        mult[c] = r.Int(1 << 30, INT32_MAX);
        shift[c] = r.Int(-24, -12);
    }
    std::vector<int16_t> expected(batches * out_depth), actual(expected.size());
    for (int b = 0; b < batches; b++) {
        for (int oc = 0; oc < out_depth; oc++) {
            Acc acc = 0;
            for (int d = 0; d < depth; d++) {
                acc = static_cast<Acc>(static_cast<int64_t>(acc) + weights[oc * depth + d] * input[b * depth + d]);
            }
            expected[b * out_depth + oc] = Finish<Acc>(acc, with_bias ? bias.data() : nullptr, oc, mult, shift, per_channel ? oc : 0, -32768, 32767);
        }
    }
    std::vector<int32_t> packed = Pack(bias);
    const em_fc_s16_params p = {-32768, 32767, 0, 0, count, 0, sizeof(Acc) == 8 ? 64 : 32};
    const em_requant q = {mult.data(), shift.data(), with_bias ? packed.data() : nullptr};
    ASSERT_EQ(em_fully_connected_s16(&p, &q, batches, depth, out_depth, input.data(), weights.data(), actual.data()), EM_OK);
    ASSERT_EQ(actual, expected) << "seed " << seed;
}

}  // namespace

TEST(Kernels16x8, ConvAndDepthwiseMatchTflmWithBothAccumulators)
{
    for (uint32_t seed = 1; seed <= 40; seed++) {
        CheckConv<int64_t>(seed, false, true);
        CheckConv<int64_t>(seed, true, seed % 2 == 0);
        CheckConv<int32_t>(seed, false, seed % 3 != 0);
        CheckConv<int32_t>(seed, true, true);
    }
}

TEST(Kernels16x8, FullyConnectedMatchesTflmWithBothAccumulators)
{
    for (uint32_t seed = 1; seed <= 40; seed++) {
        CheckFullyConnected<int64_t>(seed, true, seed % 2 == 0);
        CheckFullyConnected<int32_t>(seed, seed % 3 != 0, seed % 2 == 1);
    }
}

TEST(Kernels16x8, BadArgumentsAreRefusedNotCrashed)
{
    int16_t x[4] = {0}, y[4] = {0};
    int8_t w[4] = {0};
    int32_t m = 1 << 30, s = 0;
    em_requant q = {&m, &s, nullptr};
    em_fc_s16_params fc = {-32768, 32767, 0, 0, 1, 0, 48};
    EXPECT_EQ(em_fully_connected_s16(&fc, &q, 1, 2, 2, x, w, y), EM_ERR_PARAMS);
    EXPECT_EQ(em_fully_connected_s16(nullptr, &q, 1, 2, 2, x, w, y), EM_ERR_NULL);
    em_conv_s16_params cp = {1, 1, 1, 1, 0, 0, -32768, 32767, 0, 0, 0, 0, 32};
    em_dims d = {1, 2, 2, 1}, f = {2, 1, 1, 1};
    EXPECT_EQ(em_conv_s16(&cp, &q, &d, x, &f, w, &d, y), EM_ERR_SHAPE);
    cp.stride_w = 0;
    EXPECT_EQ(em_conv_s16(&cp, &q, &d, x, &f, w, &d, y), EM_ERR_PARAMS);
}

namespace {

// TFLM's gen_lut<float, int16_t, int16_t> for the softmax tables (what the converter writes).
std::vector<int16_t> FloatTable(float (*func)(float), float in_min, float in_max)
{
    const float step = (in_max - in_min) / 512, half = step / 2, scale = 65536.0f / 2.0f;
    std::vector<int16_t> t(513);
    auto clamp = [](float v) { return static_cast<int16_t>(std::min(std::max(v, -32768.0f), 32767.0f)); };
    for (int i = 0; i < 512; i++) {
        const float v = func(in_min + i * step), mid = func(in_min + i * step + half), next = func(in_min + (i + 1) * step);
        const float interp = std::round((next * scale + std::round(v * scale)) / 2);
        t[i] = clamp(std::round(v * scale) - std::round((interp - std::round(mid * scale)) / 2));
    }
    t[512] = clamp(std::round(func(in_max) * scale));
    return t;
}

float Exp(float x) { return std::exp(x); }
float Reciprocal(float x) { return 1.0f / (1.0f + x); }

}  // namespace

TEST(Kernels16x8, SoftmaxOfEqualLogitsIsUniformAndOfOneLargeLogitIsOneHot)
{
    const std::vector<int16_t> exp_table = FloatTable(Exp, -10.0f, 0.0f), reciprocal_table = FloatTable(Reciprocal, 0.0f, 1.0f);
    // input scale 1/4096, beta 1: multiplier and shift of (1/4096) / (10/65535) = 1.5999...
    const em_softmax_s16_params p = {1717960323, 1, 0, 0};
    const int16_t equal[4] = {1000, 1000, 1000, 1000}, peaked[4] = {-30000, 30000, -30000, -30000};
    int16_t out[4];
    ASSERT_EQ(em_softmax_s16(&p, exp_table.data(), reciprocal_table.data(), 1, 4, equal, out), EM_OK);
    for (int16_t v : out) {
        EXPECT_NEAR(v, 8192, 8);
    }
    ASSERT_EQ(em_softmax_s16(&p, exp_table.data(), reciprocal_table.data(), 1, 4, peaked, out), EM_OK);
    EXPECT_GE(out[1], 32700);
    EXPECT_LE(out[0] + out[2] + out[3], 8);  // the table floor: exp(-10) * 32768 is about 1.5
    EXPECT_EQ(em_softmax_s16(&p, nullptr, reciprocal_table.data(), 1, 4, equal, out), EM_ERR_NULL);
    EXPECT_EQ(em_softmax_s16(&p, exp_table.data(), reciprocal_table.data(), 1, 0, equal, out), EM_ERR_SHAPE);
}
