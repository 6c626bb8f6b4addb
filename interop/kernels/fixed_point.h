/*
 * gemmlowp / TensorFlow Lite Micro fixed-point primitives (internal to the kernels).
 * Bit-exact with firmware/Edge.Micro.Runtime/Arithmetic/FixedPoint.cs; see there for the contracts.
 * Wrap-around is made explicit with unsigned arithmetic so no signed overflow is ever undefined.
 */
#ifndef EM_FIXED_POINT_H
#define EM_FIXED_POINT_H

#include <stdint.h>

#define EM_ONE_Q0 INT32_MAX

/*
 * Cores where a 32x32->64-bit product is a library call (the Xtensa LX106 has no multiply-high; gcc makes every
 * int64 product a call to __muldi3): the kernels take their 32-bit paths there, two int32 accumulators where the
 * 64-bit hosts pack two sums into one int64, and the high product below from 16-bit halves.
 */
#if defined(__XTENSA__)
#define EM_NARROW_MULTIPLY 1
#else
#define EM_NARROW_MULTIPLY 0
#endif

static inline int32_t em_wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t em_wrap_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t em_shl(int32_t x, int32_t s) { return (int32_t)((uint32_t)x << s); }

/*
 * floor((a * b + 2^30) / 2^31) from 32-bit products only, without carries: a and b split into a signed high and an
 * unsigned low 16 bits; the low halves of the three lower partial products and the nudge 2^30 (2^14 at bit 16) are
 * summed in a word that cannot overflow, and only its bits from 31 up count. Exact for every pair;
 * em_doubling_high_mul uses it where EM_NARROW_MULTIPLY says 64-bit products are slow.
 */
static inline int32_t em_doubling_high_mul_narrow(int32_t a, int32_t b)
{
    const int32_t a_high = a >> 16, b_high = b >> 16;
    const int32_t a_low = (int32_t)((uint32_t)a & 0xffffu), b_low = (int32_t)((uint32_t)b & 0xffffu);
    const uint32_t low_low = (uint32_t)a_low * (uint32_t)b_low;
    const int32_t high_low = a_high * b_low, low_high = a_low * b_high; /* each fits 32 bits */
    const uint32_t middle = (low_low >> 16) + ((uint32_t)high_low & 0xffffu) + ((uint32_t)low_high & 0xffffu) + (1u << 14);
    const uint32_t high = (uint32_t)(a_high * b_high) + (uint32_t)(high_low >> 16) + (uint32_t)(low_high >> 16);
    return (int32_t)((high << 1) + (middle >> 15));
}

/* floor((a * b + 2^30) / 2^31): SaturatingRoundingDoublingHighMul for every pair but INT32_MIN * INT32_MIN (TFLM adds
   2^30, or 1 - 2^30 when the product is negative, and divides toward zero: the same as this floor). */
static inline int32_t em_doubling_high_mul(int32_t a, int32_t b)
{
#if EM_NARROW_MULTIPLY
    return em_doubling_high_mul_narrow(a, b);
#else
    return (int32_t)(((int64_t)a * (int64_t)b + (1LL << 30)) >> 31);
#endif
}

static inline int32_t em_srdhm(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    return em_doubling_high_mul(a, b);
}

static inline int32_t em_rdbpot(int32_t x, int32_t exponent)
{
    int32_t mask = (int32_t)((1u << exponent) - 1u); /* exponent in [0, 31] */
    int32_t remainder = x & mask;
    int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

static inline int32_t em_srmbpot(int32_t x, int32_t exponent)
{
    if (exponent == 0) {
        return x;
    }
    if (exponent < 0) {
        return em_rdbpot(x, -exponent);
    }
    int32_t threshold = (int32_t)((1u << (31 - exponent)) - 1u);
    if (x > threshold) {
        return INT32_MAX;
    }
    if (x < -threshold) {
        return INT32_MIN;
    }
    return em_shl(x, exponent);
}

/* TFLM MultiplyByQuantizedMultiplier (double rounding). */
static inline int32_t em_mbqm(int32_t x, int32_t multiplier, int32_t shift)
{
    int32_t left = shift > 0 ? shift : 0;
    int32_t right = shift > 0 ? 0 : -shift;
    return em_rdbpot(em_srdhm(em_shl(x, left), multiplier), right);
}

/*
 * TFLM MultiplyByQuantizedMultiplier for an int64 accumulator (16x8 kernels with an int64 bias): the multiplier
 * reduced to 16 bits, one rounding; shift in [-31, 7]. Unsigned arithmetic keeps an absurd bias from being UB.
 */
static inline int32_t em_mbqm64(int64_t x, int32_t multiplier, int32_t shift)
{
    const int64_t reduced = multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
    const int32_t total = 15 - shift;
    const int64_t v = (int64_t)((uint64_t)x * (uint64_t)reduced + ((uint64_t)1 << (total - 1)));
    return (int32_t)(uint32_t)(uint64_t)(v >> total);
}

static inline int32_t em_clamp(int32_t v, int32_t lo, int32_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

int32_t em_exp_on_negative_values(int32_t a, int32_t integer_bits);
int32_t em_one_over_one_plus_x(int32_t a);
int32_t em_one_minus_x_over_one_plus_x(int32_t a);
int32_t em_count_leading_zeros(uint32_t x);

#endif
