// The compiler-support routines an LX106 build links in place of the ones Debian's libgcc lacks
// (baremetal/libgcc_lx106.c) give what the host's hardware gives, bit for bit: IEEE 754 round to nearest even
// with subnormals, infinities and signed zeros, and C's integer division and 64-bit product.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

extern "C" {
float em_lx106__addsf3(float a, float b);
float em_lx106__subsf3(float a, float b);
float em_lx106__mulsf3(float a, float b);
float em_lx106__floatsisf(int32_t a);
double em_lx106__extendsfdf2(float a);
double em_lx106__adddf3(double a, double b);
double em_lx106__subdf3(double a, double b);
double em_lx106__divdf3(double a, double b);
int64_t em_lx106__muldi3(int64_t a, int64_t b);
uint64_t em_lx106__umulsidi3(uint32_t a, uint32_t b);
int32_t em_lx106__divsi3(int32_t a, int32_t b);
uint32_t em_lx106__udivsi3(uint32_t a, uint32_t b);
uint32_t em_lx106__umodsi3(uint32_t a, uint32_t b);
uint64_t em_lx106__udivdi3(uint64_t a, uint64_t b);
uint64_t em_lx106__umoddi3(uint64_t a, uint64_t b);
}

namespace {

constexpr int kRandomCases = 300000;

// One type's bits as another of the same size (a float's as uint32_t, a uint64_t's as double...).
template <typename To, typename From>
To Reinterpret(From value)
{
    static_assert(sizeof(To) == sizeof(From), "same size");
    To to;
    std::memcpy(&to, &value, sizeof to);
    return to;
}

float FloatOf(uint32_t bits) { return Reinterpret<float>(bits); }
double DoubleOf(uint64_t bits) { return Reinterpret<double>(bits); }
uint32_t BitsOf(float f) { return Reinterpret<uint32_t>(f); }
uint64_t BitsOf(double d) { return Reinterpret<uint64_t>(d); }

// Any NaN stands for any other (the routines return the default quiet NaN, x86 its own); all else bit for bit.
template <typename Float>
::testing::AssertionResult Same(Float expected, Float actual)
{
    if (std::isnan(expected) && std::isnan(actual)) return ::testing::AssertionSuccess();
    if (BitsOf(expected) == BitsOf(actual)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << std::hexfloat << "expected " << expected << " (0x" << std::hex
                                         << BitsOf(expected) << "), got " << actual << " (0x" << BitsOf(actual) << ")";
}

// Zeros, the smallest and largest subnormals and normals, one, infinities and NaN, each signed.
std::vector<float> EdgeFloats()
{
    const uint32_t magnitudes[] = {0u, 1u, 2u, 0x007fffffu, 0x00800000u, 0x00800001u, 0x3f800000u, 0x3f800001u,
                                   0x3fffffffu, 0x4b000000u, 0x7f7fffffu, 0x7f000000u, 0x7f800000u, 0x7fc00000u};
    std::vector<float> values;
    for (uint32_t m : magnitudes) {
        values.push_back(FloatOf(m));
        values.push_back(FloatOf(m | 0x80000000u));
    }
    return values;
}

std::vector<double> EdgeDoubles()
{
    const uint64_t magnitudes[] = {0u, 1u, 0x000fffffffffffffull, 0x0010000000000000ull, 0x3ff0000000000000ull,
                                   0x3ff0000000000001ull, 0x7fefffffffffffffull, 0x7ff0000000000000ull,
                                   0x7ff8000000000000ull};
    std::vector<double> values;
    for (uint64_t m : magnitudes) {
        values.push_back(DoubleOf(m));
        values.push_back(DoubleOf(m | 0x8000000000000000ull));
    }
    return values;
}

// Random operands: every bit pattern, and pairs close in exponent (where addition cancels and rounds most).
struct FloatSource {
    std::mt19937_64 random{20261205};
    float Any() { return FloatOf(static_cast<uint32_t>(random())); }
    float Near(float other)
    {
        const int32_t step = static_cast<int32_t>(random() % 64) - 32;
        return FloatOf((BitsOf(other) & 0xff800000u) + (static_cast<uint32_t>(random()) & 0x007fffffu)
                       + static_cast<uint32_t>(step) * 0x00800000u * (random() % 2));
    }
    double AnyDouble() { return DoubleOf(random()); }
    double NearDouble(double other)
    {
        return DoubleOf((BitsOf(other) & 0xfff0000000000000ull) + (random() & 0x000fffffffffffffull)
                        + (random() % 4) * 0x0010000000000000ull);
    }
};

TEST(Lx106Support, SingleAddSubtractAndMultiplyMatchTheHardwareOnEdgeCases)
{
    for (float a : EdgeFloats()) {
        for (float b : EdgeFloats()) {
            EXPECT_TRUE(Same(a + b, em_lx106__addsf3(a, b))) << a << " + " << b;
            EXPECT_TRUE(Same(a - b, em_lx106__subsf3(a, b))) << a << " - " << b;
            EXPECT_TRUE(Same(a * b, em_lx106__mulsf3(a, b))) << a << " * " << b;
        }
    }
}

TEST(Lx106Support, SingleAddSubtractAndMultiplyMatchTheHardwareOnRandomOperands)
{
    FloatSource source;
    for (int i = 0; i < kRandomCases; i++) {
        const float a = source.Any();
        const float b = i % 2 == 0 ? source.Any() : source.Near(a);
        ASSERT_TRUE(Same(a + b, em_lx106__addsf3(a, b))) << std::hexfloat << a << " + " << b;
        ASSERT_TRUE(Same(a - b, em_lx106__subsf3(a, b))) << std::hexfloat << a << " - " << b;
        ASSERT_TRUE(Same(a * b, em_lx106__mulsf3(a, b))) << std::hexfloat << a << " * " << b;
    }
}

TEST(Lx106Support, IntegerToSingleRoundsAsTheHardwareDoes)
{
    const int32_t edges[] = {0, 1, -1, 16777216, 16777217, 16777219, -16777217, 2147483647, -2147483647 - 1,
                             0x7fffffc0, 0x7fffffbf};
    for (int32_t v : edges) EXPECT_TRUE(Same(static_cast<float>(v), em_lx106__floatsisf(v))) << v;
    std::mt19937 random(7);
    for (int i = 0; i < kRandomCases; i++) {
        const int32_t v = static_cast<int32_t>(random()) >> (random() % 32);
        ASSERT_TRUE(Same(static_cast<float>(v), em_lx106__floatsisf(v))) << v;
    }
}

TEST(Lx106Support, SingleToDoubleIsExact)
{
    for (float a : EdgeFloats()) EXPECT_TRUE(Same(static_cast<double>(a), em_lx106__extendsfdf2(a))) << a;
    FloatSource source;
    for (int i = 0; i < kRandomCases; i++) {
        const float a = source.Any();
        ASSERT_TRUE(Same(static_cast<double>(a), em_lx106__extendsfdf2(a))) << std::hexfloat << a;
    }
}

TEST(Lx106Support, DoubleSubtractAndDivideMatchTheHardware)
{
    for (double a : EdgeDoubles()) {
        for (double b : EdgeDoubles()) {
            EXPECT_TRUE(Same(a + b, em_lx106__adddf3(a, b))) << a << " + " << b;
            EXPECT_TRUE(Same(a - b, em_lx106__subdf3(a, b))) << a << " - " << b;
            EXPECT_TRUE(Same(a / b, em_lx106__divdf3(a, b))) << a << " / " << b;
        }
    }
    FloatSource source;
    for (int i = 0; i < kRandomCases; i++) {
        const double a = source.AnyDouble();
        const double b = i % 2 == 0 ? source.AnyDouble() : source.NearDouble(a);
        ASSERT_TRUE(Same(a - b, em_lx106__subdf3(a, b))) << std::hexfloat << a << " - " << b;
        ASSERT_TRUE(Same(a / b, em_lx106__divdf3(a, b))) << std::hexfloat << a << " / " << b;
        // what quantize.c divides: floats widened to double
        const double fa = static_cast<double>(source.Any()), fb = static_cast<double>(source.Any());
        ASSERT_TRUE(Same(fa / fb, em_lx106__divdf3(fa, fb))) << std::hexfloat << fa << " / " << fb;
    }
}

TEST(Lx106Support, IntegerDivisionAndWideProductMatchC)
{
    std::mt19937_64 random(11);
    const int32_t edges[] = {0, 1, -1, 2, -2, 7, -7, 2147483647, -2147483647 - 1};
    for (int32_t a : edges) {
        for (int32_t b : edges) {
            if (b == 0 || (a == -2147483647 - 1 && b == -1)) continue;
            EXPECT_EQ(a / b, em_lx106__divsi3(a, b)) << a << " / " << b;
            EXPECT_EQ(static_cast<uint32_t>(a) / static_cast<uint32_t>(b),
                      em_lx106__udivsi3(static_cast<uint32_t>(a), static_cast<uint32_t>(b)));
            EXPECT_EQ(static_cast<uint32_t>(a) % static_cast<uint32_t>(b),
                      em_lx106__umodsi3(static_cast<uint32_t>(a), static_cast<uint32_t>(b)));
        }
    }
    for (int i = 0; i < kRandomCases; i++) {
        const int32_t a = static_cast<int32_t>(random()) >> (random() % 32);
        int32_t b = static_cast<int32_t>(random()) >> (random() % 32);
        if (b == 0) b = 3;
        if (a == -2147483647 - 1 && b == -1) continue;
        ASSERT_EQ(a / b, em_lx106__divsi3(a, b)) << a << " / " << b;
        ASSERT_EQ(static_cast<uint32_t>(a) / static_cast<uint32_t>(b),
                  em_lx106__udivsi3(static_cast<uint32_t>(a), static_cast<uint32_t>(b)));
        ASSERT_EQ(static_cast<uint32_t>(a) % static_cast<uint32_t>(b),
                  em_lx106__umodsi3(static_cast<uint32_t>(a), static_cast<uint32_t>(b)));
        const int64_t x = static_cast<int64_t>(random()), y = static_cast<int64_t>(random()) >> (random() % 64);
        ASSERT_EQ(static_cast<int64_t>(static_cast<uint64_t>(x) * static_cast<uint64_t>(y)), em_lx106__muldi3(x, y));
        ASSERT_EQ(static_cast<int64_t>(a) * b, em_lx106__muldi3(a, b));
        ASSERT_EQ(static_cast<uint64_t>(static_cast<uint32_t>(a)) * static_cast<uint32_t>(b),
                  em_lx106__umulsidi3(static_cast<uint32_t>(a), static_cast<uint32_t>(b)));
        const uint64_t n = random(), d = (random() >> (random() % 64)) | 1u;
        ASSERT_EQ(n / d, em_lx106__udivdi3(n, d));
        ASSERT_EQ(n % d, em_lx106__umoddi3(n, d));
    }
}

}  // namespace
