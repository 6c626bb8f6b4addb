/*
 * Compiler-support routines that Debian's xtensa-lx106-elf libgcc leaves out (an ESP8266 finds them in its mask
 * ROM): 32-bit division, the 64-bit products, and the few single- and double-precision operations that the float
 * QUANTIZE/DEQUANTIZE paths (kernels/quantize.c) compile to on a core without a floating-point unit.
 *
 * IEEE 754 binary32/binary64, round to nearest even, subnormals kept, infinities and NaNs propagated (a NaN result
 * is the default quiet NaN of the sign of the first NaN operand's bits, or positive). Each routine is built from
 * 32-bit products (the core's MULL) and 64-bit shifts, additions and comparisons, never from a routine of this file
 * or of libgcc that is missing, so nothing recurses. interop/tests/lx106_support_test.cc compares every routine with
 * the host's hardware on edge cases and random operands (compiled with EM_SUPPORT_NAME renaming them).
 */
#include <stdint.h>

#ifndef EM_SUPPORT_NAME
#define EM_SUPPORT_NAME(name) name
#endif

/* ---- integers ---------------------------------------------------------------------------------------------- */

/* The full 64-bit product of two 32-bit numbers from four 16x16-bit products. */
static uint64_t multiply_wide_u32(uint32_t a, uint32_t b)
{
    const uint32_t a_low = a & 0xffffu, a_high = a >> 16;
    const uint32_t b_low = b & 0xffffu, b_high = b >> 16;
    const uint32_t low_low = a_low * b_low;
    const uint32_t low_high = a_low * b_high;
    const uint32_t high_low = a_high * b_low;
    const uint32_t middle = (low_low >> 16) + (low_high & 0xffffu) + (high_low & 0xffffu);
    const uint32_t low = (low_low & 0xffffu) | (middle << 16);
    const uint32_t high = a_high * b_high + (low_high >> 16) + (high_low >> 16) + (middle >> 16);
    return ((uint64_t)high << 32) | low;
}

uint64_t EM_SUPPORT_NAME(__umulsidi3)(uint32_t a, uint32_t b)
{
    return multiply_wide_u32(a, b);
}

int64_t EM_SUPPORT_NAME(__muldi3)(int64_t a, int64_t b)
{
    const uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
    const uint32_t a_low = (uint32_t)ua, a_high = (uint32_t)(ua >> 32);
    const uint32_t b_low = (uint32_t)ub, b_high = (uint32_t)(ub >> 32);
    const uint64_t low = multiply_wide_u32(a_low, b_low);
    const uint32_t cross = a_low * b_high + a_high * b_low;
    return (int64_t)(low + ((uint64_t)cross << 32));
}

/* Quotient and remainder by restoring shift-and-subtract, from the dividend's highest set bit. A zero divisor
   gives the all-ones quotient and the dividend as remainder (C leaves it undefined; nothing traps). */
static uint32_t divide_u32(uint32_t dividend, uint32_t divisor, uint32_t *remainder)
{
    uint32_t quotient = 0;
    uint32_t rest = 0;
    int bit = 31;
    if (divisor == 0) {
        *remainder = dividend;
        return 0xffffffffu;
    }
    while (bit >= 0 && (dividend >> bit) == 0) bit--;
    for (; bit >= 0; bit--) {
        const uint32_t carry = rest >> 31;
        rest = (rest << 1) | ((dividend >> bit) & 1u);
        if (carry != 0 || rest >= divisor) {
            rest -= divisor;
            quotient |= 1u << bit;
        }
    }
    *remainder = rest;
    return quotient;
}

uint32_t EM_SUPPORT_NAME(__udivsi3)(uint32_t a, uint32_t b)
{
    uint32_t remainder;
    return divide_u32(a, b, &remainder);
}

uint32_t EM_SUPPORT_NAME(__umodsi3)(uint32_t a, uint32_t b)
{
    uint32_t remainder;
    divide_u32(a, b, &remainder);
    return remainder;
}

int32_t EM_SUPPORT_NAME(__divsi3)(int32_t a, int32_t b)
{
    const uint32_t magnitude_a = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
    const uint32_t magnitude_b = b < 0 ? 0u - (uint32_t)b : (uint32_t)b;
    uint32_t remainder;
    const uint32_t quotient = divide_u32(magnitude_a, magnitude_b, &remainder);
    return (int32_t)((a < 0) != (b < 0) ? 0u - quotient : quotient);
}

/* 64-bit quotient and remainder: libgcc has the combined routine but not these two names (picolibc's printf
   calls them). */
uint64_t __udivmoddi4(uint64_t a, uint64_t b, uint64_t *remainder);

uint64_t EM_SUPPORT_NAME(__udivdi3)(uint64_t a, uint64_t b)
{
    return __udivmoddi4(a, b, 0);
}

uint64_t EM_SUPPORT_NAME(__umoddi3)(uint64_t a, uint64_t b)
{
    uint64_t remainder;
    __udivmoddi4(a, b, &remainder);
    return remainder;
}

/* ---- shared by both float widths ---------------------------------------------------------------------------- */

/* value >> shift, with every bit shifted out ORed into the lowest bit (the sticky bit of rounding). */
static uint64_t shift_right_sticky(uint64_t value, int shift)
{
    if (shift <= 0) return value;
    if (shift >= 64) return value != 0;
    return (value >> shift) | ((value << (64 - shift)) != 0);
}

/* ---- binary32 ------------------------------------------------------------------------------------------------ */

enum {
    F32_FRACTION_BITS = 23,
    F32_EXPONENT_MAX = 255,
    F32_BIAS = 127,
    F32_EXTRA_BITS = 3, /* guard, round and sticky below the fraction while computing */
};
#define F32_SIGN 0x80000000u
#define F32_INFINITY 0x7f800000u
#define F32_DEFAULT_NAN 0x7fc00000u
#define F32_HIDDEN (1u << F32_FRACTION_BITS)
#define F32_FRACTION_MASK (F32_HIDDEN - 1u)
#define F32_WORK_HIDDEN (F32_HIDDEN << F32_EXTRA_BITS) /* 2^26 */

typedef union {
    float value;
    uint32_t bits;
} f32_bits;

static float f32_from(uint32_t bits)
{
    f32_bits u;
    u.bits = bits;
    return u.value;
}

static uint32_t f32_to(float value)
{
    f32_bits u;
    u.value = value;
    return u.bits;
}

/* Rounds and packs sign * significand * 2^(exponent - 127 - 26), significand < 2^27: normalizes it up to the hidden
   bit 26 (while the exponent stays a normal one), then denormalizes it when the exponent is below 1. */
static float f32_round_pack(uint32_t sign, int32_t exponent, uint32_t significand)
{
    uint32_t low;
    if (significand == 0) return f32_from(sign);
    while (significand < F32_WORK_HIDDEN && exponent > 1) {
        significand <<= 1;
        exponent--;
    }
    if (exponent <= 0) {
        significand = (uint32_t)shift_right_sticky(significand, 1 - exponent);
        exponent = 0;
    } else if (significand < F32_WORK_HIDDEN) {
        exponent = 0; /* exponent 1 without the hidden bit: a subnormal, same scale */
    }
    if (exponent >= F32_EXPONENT_MAX) return f32_from(sign | F32_INFINITY);
    low = significand & 7u;
    significand >>= F32_EXTRA_BITS;
    if (low > 4u || (low == 4u && (significand & 1u) != 0)) significand++;
    if (exponent == 0) return f32_from(sign | significand); /* rounding may carry into the smallest normal */
    if (significand > F32_FRACTION_MASK + F32_HIDDEN) {
        significand >>= 1;
        exponent++;
        if (exponent >= F32_EXPONENT_MAX) return f32_from(sign | F32_INFINITY);
    }
    return f32_from(sign | ((uint32_t)exponent << F32_FRACTION_BITS) | (significand & F32_FRACTION_MASK));
}

static int f32_is_nan(uint32_t bits)
{
    return (bits & ~F32_SIGN) > F32_INFINITY;
}

/* The significand with its hidden bit (none for zero and subnormals, whose exponent counts as 1). */
static uint32_t f32_significand(uint32_t bits, int32_t *exponent)
{
    const int32_t field = (int32_t)((bits >> F32_FRACTION_BITS) & 0xffu);
    *exponent = field == 0 ? 1 : field;
    return field == 0 ? (bits & F32_FRACTION_MASK) : ((bits & F32_FRACTION_MASK) | F32_HIDDEN);
}

float EM_SUPPORT_NAME(__addsf3)(float a, float b)
{
    uint32_t x = f32_to(a), y = f32_to(b);
    int32_t exponent_x, exponent_y;
    uint32_t significand_x, significand_y, sign;
    if (f32_is_nan(x) || f32_is_nan(y)) return f32_from(F32_DEFAULT_NAN);
    if ((x & ~F32_SIGN) == F32_INFINITY) {
        if ((y & ~F32_SIGN) == F32_INFINITY && (x ^ y) == F32_SIGN) return f32_from(F32_DEFAULT_NAN);
        return a;
    }
    if ((y & ~F32_SIGN) == F32_INFINITY) return b;
    if ((x & ~F32_SIGN) < (y & ~F32_SIGN)) {
        const uint32_t t = x;
        x = y;
        y = t;
    }
    if ((y & ~F32_SIGN) == 0) {
        if ((x & ~F32_SIGN) == 0) return f32_from(x & y); /* -0 only for -0 + -0 */
        return f32_from(x);
    }
    sign = x & F32_SIGN;
    significand_x = f32_significand(x, &exponent_x) << F32_EXTRA_BITS;
    significand_y = f32_significand(y, &exponent_y) << F32_EXTRA_BITS;
    significand_y = (uint32_t)shift_right_sticky(significand_y, exponent_x - exponent_y);
    if ((x ^ y) & F32_SIGN) {
        significand_x -= significand_y;
        if (significand_x == 0) return f32_from(0); /* x - x is +0 when rounding to nearest */
    } else {
        significand_x += significand_y;
        if (significand_x >= 2u * F32_WORK_HIDDEN) {
            significand_x = (significand_x >> 1) | (significand_x & 1u);
            exponent_x++;
        }
    }
    return f32_round_pack(sign, exponent_x, significand_x);
}

float EM_SUPPORT_NAME(__subsf3)(float a, float b)
{
    return EM_SUPPORT_NAME(__addsf3)(a, f32_from(f32_to(b) ^ F32_SIGN));
}

float EM_SUPPORT_NAME(__mulsf3)(float a, float b)
{
    const uint32_t x = f32_to(a), y = f32_to(b);
    const uint32_t sign = (x ^ y) & F32_SIGN;
    int32_t exponent_x, exponent_y;
    uint32_t significand_x, significand_y;
    uint64_t product;
    if (f32_is_nan(x) || f32_is_nan(y)) return f32_from(F32_DEFAULT_NAN);
    if ((x & ~F32_SIGN) == F32_INFINITY || (y & ~F32_SIGN) == F32_INFINITY) {
        if ((x & ~F32_SIGN) == 0 || (y & ~F32_SIGN) == 0) return f32_from(F32_DEFAULT_NAN);
        return f32_from(sign | F32_INFINITY);
    }
    if ((x & ~F32_SIGN) == 0 || (y & ~F32_SIGN) == 0) return f32_from(sign);
    significand_x = f32_significand(x, &exponent_x);
    significand_y = f32_significand(y, &exponent_y);
    while (significand_x < F32_HIDDEN) { significand_x <<= 1; exponent_x--; }
    while (significand_y < F32_HIDDEN) { significand_y <<= 1; exponent_y--; }
    product = multiply_wide_u32(significand_x, significand_y); /* in [2^46, 2^48) */
    if (product >= (1ull << 47)) {
        return f32_round_pack(sign, exponent_x + exponent_y - F32_BIAS + 1, (uint32_t)shift_right_sticky(product, 21));
    }
    return f32_round_pack(sign, exponent_x + exponent_y - F32_BIAS, (uint32_t)shift_right_sticky(product, 20));
}

float EM_SUPPORT_NAME(__floatsisf)(int32_t a)
{
    const uint32_t sign = a < 0 ? F32_SIGN : 0u;
    const uint32_t magnitude = a < 0 ? 0u - (uint32_t)a : (uint32_t)a;
    int top = 31;
    if (magnitude == 0) return f32_from(0);
    while ((magnitude >> top) == 0) top--;
    /* magnitude = significand * 2^(exponent - 127 - 26) with the top bit at 26 */
    if (top > 26) {
        return f32_round_pack(sign, F32_BIAS + 26 + (top - 26), (uint32_t)shift_right_sticky(magnitude, top - 26));
    }
    return f32_round_pack(sign, F32_BIAS + top, magnitude << (26 - top));
}

/* ---- binary64 ------------------------------------------------------------------------------------------------ */

enum {
    F64_FRACTION_BITS = 52,
    F64_EXPONENT_MAX = 2047,
    F64_BIAS = 1023,
};
#define F64_SIGN 0x8000000000000000ull
#define F64_INFINITY 0x7ff0000000000000ull
#define F64_DEFAULT_NAN 0x7ff8000000000000ull
#define F64_HIDDEN (1ull << F64_FRACTION_BITS)
#define F64_FRACTION_MASK (F64_HIDDEN - 1u)
#define F64_WORK_HIDDEN (F64_HIDDEN << F32_EXTRA_BITS) /* 2^55 */

typedef union {
    double value;
    uint64_t bits;
} f64_bits;

static double f64_from(uint64_t bits)
{
    f64_bits u;
    u.bits = bits;
    return u.value;
}

static uint64_t f64_to(double value)
{
    f64_bits u;
    u.value = value;
    return u.bits;
}

/* f32_round_pack for binary64: sign * significand * 2^(exponent - 1023 - 55), significand < 2^56. */
static double f64_round_pack(uint64_t sign, int32_t exponent, uint64_t significand)
{
    uint32_t low;
    if (significand == 0) return f64_from(sign);
    while (significand < F64_WORK_HIDDEN && exponent > 1) {
        significand <<= 1;
        exponent--;
    }
    if (exponent <= 0) {
        significand = shift_right_sticky(significand, 1 - exponent);
        exponent = 0;
    } else if (significand < F64_WORK_HIDDEN) {
        exponent = 0;
    }
    if (exponent >= F64_EXPONENT_MAX) return f64_from(sign | F64_INFINITY);
    low = (uint32_t)significand & 7u;
    significand >>= F32_EXTRA_BITS;
    if (low > 4u || (low == 4u && (significand & 1u) != 0)) significand++;
    if (exponent == 0) return f64_from(sign | significand);
    if (significand > F64_FRACTION_MASK + F64_HIDDEN) {
        significand >>= 1;
        exponent++;
        if (exponent >= F64_EXPONENT_MAX) return f64_from(sign | F64_INFINITY);
    }
    return f64_from(sign | ((uint64_t)exponent << F64_FRACTION_BITS) | (significand & F64_FRACTION_MASK));
}

static int f64_is_nan(uint64_t bits)
{
    return (bits & ~F64_SIGN) > F64_INFINITY;
}

static uint64_t f64_significand(uint64_t bits, int32_t *exponent)
{
    const int32_t field = (int32_t)((bits >> F64_FRACTION_BITS) & 0x7ffu);
    *exponent = field == 0 ? 1 : field;
    return field == 0 ? (bits & F64_FRACTION_MASK) : ((bits & F64_FRACTION_MASK) | F64_HIDDEN);
}

double EM_SUPPORT_NAME(__extendsfdf2)(float a)
{
    const uint32_t x = f32_to(a);
    const uint64_t sign = (uint64_t)(x & F32_SIGN) << 32;
    int32_t exponent;
    uint32_t significand;
    if (f32_is_nan(x)) return f64_from(sign | F64_DEFAULT_NAN | ((uint64_t)(x & F32_FRACTION_MASK) << 29));
    if ((x & ~F32_SIGN) == F32_INFINITY) return f64_from(sign | F64_INFINITY);
    if ((x & ~F32_SIGN) == 0) return f64_from(sign);
    significand = f32_significand(x, &exponent);
    while (significand < F32_HIDDEN) { significand <<= 1; exponent--; }
    return f64_from(sign | ((uint64_t)(exponent - F32_BIAS + F64_BIAS) << F64_FRACTION_BITS)
                    | ((uint64_t)(significand & F32_FRACTION_MASK) << (F64_FRACTION_BITS - F32_FRACTION_BITS)));
}

double EM_SUPPORT_NAME(__adddf3)(double a, double b)
{
    uint64_t x = f64_to(a), y = f64_to(b);
    int32_t exponent_x, exponent_y;
    uint64_t significand_x, significand_y, sign;
    if (f64_is_nan(x) || f64_is_nan(y)) return f64_from(F64_DEFAULT_NAN);
    if ((x & ~F64_SIGN) == F64_INFINITY) {
        if ((y & ~F64_SIGN) == F64_INFINITY && (x ^ y) == F64_SIGN) return f64_from(F64_DEFAULT_NAN);
        return a;
    }
    if ((y & ~F64_SIGN) == F64_INFINITY) return b;
    if ((x & ~F64_SIGN) < (y & ~F64_SIGN)) {
        const uint64_t t = x;
        x = y;
        y = t;
    }
    if ((y & ~F64_SIGN) == 0) {
        if ((x & ~F64_SIGN) == 0) return f64_from(x & y);
        return f64_from(x);
    }
    sign = x & F64_SIGN;
    significand_x = f64_significand(x, &exponent_x) << F32_EXTRA_BITS;
    significand_y = f64_significand(y, &exponent_y) << F32_EXTRA_BITS;
    significand_y = shift_right_sticky(significand_y, exponent_x - exponent_y);
    if ((x ^ y) & F64_SIGN) {
        significand_x -= significand_y;
        if (significand_x == 0) return f64_from(0);
    } else {
        significand_x += significand_y;
        if (significand_x >= 2u * F64_WORK_HIDDEN) {
            significand_x = (significand_x >> 1) | (significand_x & 1u);
            exponent_x++;
        }
    }
    return f64_round_pack(sign, exponent_x, significand_x);
}

double EM_SUPPORT_NAME(__subdf3)(double a, double b)
{
    return EM_SUPPORT_NAME(__adddf3)(a, f64_from(f64_to(b) ^ F64_SIGN));
}

double EM_SUPPORT_NAME(__divdf3)(double a, double b)
{
    const uint64_t x = f64_to(a), y = f64_to(b);
    const uint64_t sign = (x ^ y) & F64_SIGN;
    int32_t exponent_x, exponent_y, exponent;
    uint64_t rest, divisor, quotient = 0;
    int i;
    if (f64_is_nan(x) || f64_is_nan(y)) return f64_from(F64_DEFAULT_NAN);
    if ((x & ~F64_SIGN) == F64_INFINITY) {
        if ((y & ~F64_SIGN) == F64_INFINITY) return f64_from(F64_DEFAULT_NAN);
        return f64_from(sign | F64_INFINITY);
    }
    if ((y & ~F64_SIGN) == F64_INFINITY) return f64_from(sign);
    if ((y & ~F64_SIGN) == 0) {
        if ((x & ~F64_SIGN) == 0) return f64_from(F64_DEFAULT_NAN);
        return f64_from(sign | F64_INFINITY);
    }
    if ((x & ~F64_SIGN) == 0) return f64_from(sign);
    rest = f64_significand(x, &exponent_x);
    divisor = f64_significand(y, &exponent_y);
    while (rest < F64_HIDDEN) { rest <<= 1; exponent_x--; }
    while (divisor < F64_HIDDEN) { divisor <<= 1; exponent_y--; }
    exponent = exponent_x - exponent_y + F64_BIAS;
    if (rest < divisor) {
        rest <<= 1;
        exponent--;
    }
    /* 56 quotient bits: the hidden one, 52 fraction bits, guard and round; the remainder gives the sticky bit */
    for (i = 0; i < 56; i++) {
        quotient <<= 1;
        if (rest >= divisor) {
            rest -= divisor;
            quotient |= 1u;
        }
        rest <<= 1;
    }
    return f64_round_pack(sign, exponent, quotient | (rest != 0));
}
