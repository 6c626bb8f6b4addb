/* gemmlowp's exp, reciprocal and tanh helpers; bit-exact with FixedPoint.cs. */
#include "fixed_point.h"

static int32_t em_rounding_half_sum(int32_t a, int32_t b)
{
    int64_t sum = (int64_t)a + (int64_t)b;
    int64_t sign = sum >= 0 ? 1 : -1;
    return (int32_t)((sum + sign) / 2);
}

static int32_t exp_on_interval(int32_t a)
{
    const int32_t constant_term = 1895147668; /* exp(-1/8), Q0.31 */
    const int32_t one_third = 715827883;      /* 1/3, Q0.31 */
    int32_t x = em_wrap_add(a, 1 << 28);
    int32_t x2 = em_srdhm(x, x);
    int32_t x3 = em_srdhm(x2, x);
    int32_t x4 = em_srdhm(x2, x2);
    int32_t x4_over_4 = em_rdbpot(x4, 2);
    int32_t poly = em_rdbpot(em_wrap_add(em_srdhm(em_wrap_add(x4_over_4, x3), one_third), x2), 1);
    return em_wrap_add(constant_term, em_srdhm(constant_term, em_wrap_add(x, poly)));
}

static int32_t barrel(int32_t result, int32_t remainder, int32_t integer_bits, int32_t fractional_bits, int32_t exponent,
                      int32_t multiplier)
{
    if (integer_bits > exponent && (remainder & (int32_t)(1u << (fractional_bits + exponent))) != 0) {
        return em_srdhm(result, multiplier);
    }
    return result;
}

int32_t em_exp_on_negative_values(int32_t a, int32_t integer_bits)
{
    int32_t fractional_bits = 31 - integer_bits;
    int32_t one_quarter = 1 << (fractional_bits - 2);
    int32_t mask = one_quarter - 1;
    int32_t a_mod = em_wrap_sub(a & mask, one_quarter);
    int32_t result = exp_on_interval(em_srmbpot(a_mod, integer_bits));
    int32_t remainder = em_wrap_sub(a_mod, a);
    result = barrel(result, remainder, integer_bits, fractional_bits, -2, 1672461947);
    result = barrel(result, remainder, integer_bits, fractional_bits, -1, 1302514674);
    result = barrel(result, remainder, integer_bits, fractional_bits, 0, 790015084);
    result = barrel(result, remainder, integer_bits, fractional_bits, 1, 290630308);
    result = barrel(result, remainder, integer_bits, fractional_bits, 2, 39332535);
    result = barrel(result, remainder, integer_bits, fractional_bits, 3, 720401);
    result = barrel(result, remainder, integer_bits, fractional_bits, 4, 242);
    if (integer_bits > 5) {
        int32_t clamp = -(1 << (36 - integer_bits));
        if (a < clamp) {
            result = 0;
        }
    }
    return a == 0 ? EM_ONE_Q0 : result;
}

#define EM_ONE_Q2 (1 << 29)

static int32_t reciprocal_of_half_denominator(int32_t a)
{
    const int32_t forty_eight_over_17 = 1515870810;
    const int32_t minus_thirty_two_over_17 = -1010580540;
    int32_t half_denominator = em_rounding_half_sum(a, EM_ONE_Q0);
    int32_t x = em_wrap_add(forty_eight_over_17, em_srdhm(half_denominator, minus_thirty_two_over_17));
    for (int i = 0; i < 3; i++) {
        int32_t one_minus = em_wrap_sub(EM_ONE_Q2, em_srdhm(half_denominator, x));
        x = em_wrap_add(x, em_srmbpot(em_srdhm(x, one_minus), 2));
    }
    return x;
}

int32_t em_one_over_one_plus_x(int32_t a) { return em_srmbpot(reciprocal_of_half_denominator(a), 1); }

int32_t em_one_minus_x_over_one_plus_x(int32_t a)
{
    return em_srmbpot(em_wrap_sub(reciprocal_of_half_denominator(a), EM_ONE_Q2), 2);
}

int32_t em_count_leading_zeros(uint32_t x)
{
    int32_t n = 0;
    if (x == 0) {
        return 32;
    }
    while ((x & 0x80000000u) == 0) {
        x <<= 1;
        n++;
    }
    return n;
}
