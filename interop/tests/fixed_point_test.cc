// The 32-bit high product that cores without a fast 64-bit multiply use (em_doubling_high_mul_narrow) gives what
// TFLM's SaturatingRoundingDoublingHighMul computes with a 64-bit product, for every sign and magnitude.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

extern "C" {
#include "fixed_point.h"
}

namespace {

// TFLM's definition, word for word: 64-bit product, nudge by sign, division toward zero.
int32_t TflmDoublingHighMul(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const int64_t ab = static_cast<int64_t>(a) * b;
    const int64_t nudge = ab >= 0 ? (1LL << 30) : (1LL - (1LL << 30));
    return static_cast<int32_t>((ab + nudge) / (1LL << 31));
}

TEST(FixedPoint, NarrowHighProductEqualsTheSixtyFourBitOneOnEdgeValues)
{
    const int32_t edges[] = {0, 1, -1, 2, -2, 0x7fff, 0x8000, -0x8000, -0x8001, 0xffff, 0x10000, -0x10000,
                             0x40000000, -0x40000000, INT32_MAX, INT32_MIN + 1, INT32_MIN, 0x5a5a5a5a, -0x5a5a5a5a};
    for (int32_t a : edges) {
        for (int32_t b : edges) {
            if (a == INT32_MIN && b == INT32_MIN) continue;  // the one saturating pair: em_srdhm handles it
            EXPECT_EQ(TflmDoublingHighMul(a, b), em_doubling_high_mul_narrow(a, b)) << a << " * " << b;
            EXPECT_EQ(TflmDoublingHighMul(a, b), em_doubling_high_mul(a, b)) << a << " * " << b;
        }
    }
    EXPECT_EQ(INT32_MAX, em_srdhm(INT32_MIN, INT32_MIN));
}

TEST(FixedPoint, NarrowHighProductEqualsTheSixtyFourBitOneOnRandomOperands)
{
    std::mt19937 random(2026);
    for (int i = 0; i < 1000000; i++) {
        const int32_t a = static_cast<int32_t>(random()) >> (random() % 24);
        const int32_t b = static_cast<int32_t>(random()) >> (random() % 8);
        if (a == INT32_MIN && b == INT32_MIN) continue;
        ASSERT_EQ(TflmDoublingHighMul(a, b), em_doubling_high_mul_narrow(a, b)) << a << " * " << b;
        ASSERT_EQ(TflmDoublingHighMul(a, b), em_doubling_high_mul(a, b)) << a << " * " << b;
    }
}

}  // namespace
