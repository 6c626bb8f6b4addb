/*
 * gemmlowp / TensorFlow Lite Micro fixed-point primitives (internal to the kernels).
 * Bit-exact with firmware/Edge.Micro.Runtime/Arithmetic/FixedPoint.cs; see there for the contracts.
 * Wrap-around is made explicit with unsigned arithmetic so no signed overflow is ever undefined.
 */
#ifndef EM_FIXED_POINT_H
#define EM_FIXED_POINT_H

#include <stdint.h>

#define EM_ONE_Q0 INT32_MAX

static inline int32_t em_wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
static inline int32_t em_wrap_sub(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b); }
static inline int32_t em_shl(int32_t x, int32_t s) { return (int32_t)((uint32_t)x << s); }

static inline int32_t em_srdhm(int32_t a, int32_t b)
{
    if (a == b && a == INT32_MIN) {
        return INT32_MAX;
    }
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? (1LL << 30) : (1LL - (1LL << 30));
    return (int32_t)((ab + nudge) / (1LL << 31));
}

static inline int32_t em_rdbpot(int32_t x, int32_t exponent)
{
    int32_t mask = (int32_t)((1LL << exponent) - 1);
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
    int32_t threshold = (int32_t)((1LL << (31 - exponent)) - 1);
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
