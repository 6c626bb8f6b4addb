// The float QUANTIZE and DEQUANTIZE kernels compute in single precision and must give what TFLM's reference
// computes in double: round(x / scale) half away from zero, and (float)(scale * (q - zero point)).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

extern "C" {
#include "edge_micro.h"
}

namespace {

int32_t BitsOf(float f)
{
    int32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

// TFLM's AffineQuantize: the division in double, std::round, zero point, clamp.
int32_t ReferenceQuantize(float x, float scale, int32_t zero_point, int32_t min, int32_t max)
{
    double q = std::round(static_cast<double>(x) / static_cast<double>(scale));
    if (q > 2147483647.0) q = 2147483647.0;
    if (q < -2147483648.0) q = -2147483648.0;
    int64_t v = static_cast<int64_t>(q) + zero_point;
    return static_cast<int32_t>(v < min ? min : (v > max ? max : v));
}

}  // namespace

TEST(Quantize, SinglePrecisionGivesTflmsDoublePrecisionResultForInt8AndInt16)
{
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> log_scale(-12.0f, 2.0f);
    std::uniform_int_distribution<int> half(-40000, 40000);
    std::uniform_real_distribution<float> any(-1.0f, 1.0f);
    int checked = 0, near_half = 0;
    for (int s = 0; s < 200; s++) {
        const float scale = std::pow(2.0f, log_scale(rng)) * (1.0f + any(rng) * 0.49f);
        for (int output_type : {1, 2}) {
            const int32_t min = output_type == 1 ? -128 : -32768, max = output_type == 1 ? 127 : 32767;
            const int32_t zero_point = output_type == 1 ? static_cast<int32_t>(any(rng) * 100) : 0;
            em_quantize_params p = {};
            p.output_scale_bits = BitsOf(scale);
            p.output_zero_point = zero_point;
            float input[2000];
            for (int i = 0; i < 2000; i++) {
                // Half the inputs sit at or next to a rounding boundary (n + 0.5) * scale, the rest anywhere.
                if (i % 2 == 0) {
                    float x = (static_cast<float>(half(rng)) + 0.5f) * scale;
                    int steps = static_cast<int>(any(rng) * 3);
                    for (; steps > 0; steps--) x = std::nextafter(x, 1e30f);
                    for (; steps < 0; steps++) x = std::nextafter(x, -1e30f);
                    input[i] = x;
                    near_half++;
                } else {
                    input[i] = any(rng) * scale * 50000.0f;
                }
            }
            int16_t out16[2000];
            int8_t out8[2000];
            void *out = output_type == 1 ? static_cast<void *>(out8) : static_cast<void *>(out16);
            ASSERT_EQ(EM_OK, em_quantize(&p, 2000, 4, input, output_type, out));
            for (int i = 0; i < 2000; i++) {
                const int32_t got = output_type == 1 ? out8[i] : out16[i];
                ASSERT_EQ(ReferenceQuantize(input[i], scale, zero_point, min, max), got) << "x=" << input[i] << " scale=" << scale;
                checked++;
            }
        }
    }
    EXPECT_EQ(800000, checked);
    EXPECT_GT(near_half, 100000);
}

TEST(Dequantize, SinglePrecisionGivesTflmsDoublePrecisionResultForEveryInt16Value)
{
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> log_scale(-20.0f, 4.0f);
    static int16_t values[65536];
    static float out[65536];
    for (int v = 0; v < 65536; v++) values[v] = static_cast<int16_t>(v - 32768);
    for (int s = 0; s < 50; s++) {
        const float scale = std::pow(2.0f, log_scale(rng)) * 1.2345f;
        em_dequantize_params p = {};
        p.scale_bits = BitsOf(scale);
        p.zero_point = s % 3 == 0 ? 0 : 17 - s;
        ASSERT_EQ(EM_OK, em_dequantize(&p, 65536, 2, values, out));
        for (int v = 0; v < 65536; v++) {
            const float expected = static_cast<float>(static_cast<double>(scale) * (values[v] - p.zero_point));
            ASSERT_EQ(BitsOf(expected), BitsOf(out[v])) << "q=" << values[v] << " scale=" << scale;
        }
    }
}
