/*
 * LOGISTIC_S16 and TANH_S16: int16 in (zero point 0), int16 out (scale 2^-15, zero point 0), bit-exact with
 * TFLM's int16 kernels (ActivationS16.cs mirrors this file). The input is rescaled to units of 1/12288, the
 * sigmoid read from the converter's 256-node table (nodes 1/24 apart) and interpolated linearly; tanh uses the
 * same table as 2 sigmoid(2x) - 1. Table, interpolation and rounding were measured from TFLM's output for every
 * int16 input (docs/format.md, "int16 LOGISTIC and TANH"), not taken from TFLM's source.
 */
#include "edge_micro.h"
#include "kernel_s16.h"

#define LAST_SEGMENT 255
#define LOGISTIC_FRACTION_BITS 9
#define TANH_FRACTION_BITS 8
#define MAX_LEFT_SHIFT 30
#define MAX_POWER_OF_TWO_SHIFT 14

/* The input in units of 1/12288, rounded half up. */
static int32_t rescale(const em_activation_s16_params *p, int32_t x)
{
    if (p->input_multiplier == 0) {
        return x * (3 << p->input_left_shift);
    }
    const int32_t round = p->input_left_shift > 0 ? 1 << (p->input_left_shift - 1) : 0;
    return (x * p->input_multiplier + round) >> p->input_left_shift;
}

/* Node `segment` scaled by 2^bits plus fraction x (next node - node). */
static int32_t interpolate(const uint16_t *table, int32_t segment, int32_t fraction, int bits)
{
    const int32_t a = table[segment], b = table[segment + 1];
    return (a << bits) + fraction * (b - a);
}

int16_t em_logistic_s16_value(const em_activation_s16_params *p, const uint16_t *table, int32_t x)
{
    const int32_t v = rescale(p, x);
    const int32_t magnitude = v < 0 ? -v : v;
    const int32_t segment = magnitude >> LOGISTIC_FRACTION_BITS;
    const int32_t r = segment >= LAST_SEGMENT
                          ? INT16_MAX << (LOGISTIC_FRACTION_BITS + 1)
                          : interpolate(table, segment, magnitude & ((1 << LOGISTIC_FRACTION_BITS) - 1), LOGISTIC_FRACTION_BITS);
    /* r: the sigmoid in units of 2^-25; the negative side is 1 - sigmoid. */
    return (int16_t)(v >= 0 ? (r + (1 << LOGISTIC_FRACTION_BITS)) >> 10 : ((1 << 25) - r + (1 << LOGISTIC_FRACTION_BITS) - 1) >> 10);
}

int16_t em_tanh_s16_value(const em_activation_s16_params *p, const uint16_t *table, int32_t x)
{
    const int32_t half = 1 << 23;
    const int32_t v = rescale(p, x);
    const int32_t magnitude = v < 0 ? -v : v;
    const int32_t segment = magnitude >> TANH_FRACTION_BITS;
    const int32_t r = segment >= LAST_SEGMENT
                          ? (int32_t)UINT16_MAX << TANH_FRACTION_BITS
                          : interpolate(table, segment, magnitude & ((1 << TANH_FRACTION_BITS) - 1), TANH_FRACTION_BITS);
    /* r: sigmoid(2|x|) in units of 2^-24; tanh = 2 sigmoid - 1 in units of 2^-15. */
    return (int16_t)(v >= 0 ? (r - half + (1 << 7)) >> TANH_FRACTION_BITS : (half - r + (1 << 7) - 1) >> TANH_FRACTION_BITS);
}

static em_status check(const em_activation_s16_params *p, const uint16_t *table, int32_t count, const int16_t *input,
                       const int16_t *output)
{
    if (!p || !table || !input || !output) {
        return EM_ERR_NULL;
    }
    const int32_t max_shift = p->input_multiplier == 0 ? MAX_POWER_OF_TWO_SHIFT : MAX_LEFT_SHIFT;
    if (count < 0 || p->input_multiplier < 0 || p->input_multiplier > INT16_MAX || p->input_left_shift < 0 ||
        p->input_left_shift > max_shift) {
        return EM_ERR_PARAMS;
    }
    return EM_OK;
}

static em_status activation(const em_activation_s16_params *p, const uint16_t *table, int32_t count, const int16_t *input,
                            int16_t *output, int logistic)
{
    const em_status s = check(p, table, count, input, output);
    if (s != EM_OK) {
        return s;
    }
    for (int32_t i = 0; i < count; i++) {
        output[i] = logistic ? em_logistic_s16_value(p, table, input[i]) : em_tanh_s16_value(p, table, input[i]);
    }
    return EM_OK;
}

em_status em_logistic_s16(const em_activation_s16_params *p, const uint16_t *sigmoid_table, int32_t count, const int16_t *input,
                          int16_t *output)
{
    return activation(p, sigmoid_table, count, input, output, 1);
}

em_status em_tanh_s16(const em_activation_s16_params *p, const uint16_t *sigmoid_table, int32_t count, const int16_t *input,
                      int16_t *output)
{
    return activation(p, sigmoid_table, count, input, output, 0);
}
