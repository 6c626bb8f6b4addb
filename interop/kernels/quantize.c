/*
 * QUANTIZE and DEQUANTIZE at the model's edges (TFLM reference_ops::AffineQuantize / Requantize / Dequantize).
 * The float paths use single precision (a Cortex-M4F and an ESP32 have it in hardware), bit-exact with TFLM's
 * double-precision reference; the int8 kernels never use floating point.
 * Tensors are little-endian; memcpy keeps unaligned or aliased buffers safe. No libm: rounding is done by hand.
 */
#include <string.h>

#include "edge_micro.h"
#include "fixed_point.h"

#define TYPE_INT8 1
#define TYPE_INT16 2
#define TYPE_FLOAT32 4

/* std::round to int: half away from zero, saturating, NaN to 0 (QuantizeKernels.RoundHalfAwayFromZero). */
static int32_t round_half_away(double v)
{
    if (v != v) {
        return 0;
    }
    if (v >= 2147483647.0) {
        return INT32_MAX;
    }
    if (v <= -2147483648.0) {
        return INT32_MIN;
    }
    int64_t t = (int64_t)v;
    const double fraction = v - (double)t;
    if (fraction >= 0.5) {
        t++;
    } else if (fraction <= -0.5) {
        t--;
    }
    return (int32_t)(t > INT32_MAX ? INT32_MAX : (t < INT32_MIN ? INT32_MIN : t));
}

/*
 * round(x / scale), half away from zero, as TFLM computes it (the division in double), with single-precision
 * arithmetic, which a Cortex-M4F has in hardware and double it has not. While |x / scale| < 2^16 the float
 * quotient is within 2^-8 of the exact one, so it rounds as the double quotient does unless it lies within 2^-7
 * of a half: only then, and for larger quotients (they saturate), is the division done in double.
 */
static int32_t quantize_round(float x, float scale)
{
    const float q = x / scale;
    if (q > -65536.0f && q < 65536.0f) {
        const int32_t t = (int32_t)q;
        const float fraction = q - (float)t; /* exact: the bits of q below its units */
        const float distance = fraction < 0.0f ? -fraction : fraction;
        if (distance < 0.5f - 0x1p-7f) {
            return t;
        }
        if (distance > 0.5f + 0x1p-7f) {
            return q > 0.0f ? t + 1 : t - 1;
        }
    }
    return round_half_away((double)x / (double)scale);
}

static float float_from_bits(int32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static int32_t read_quantized(const void *buffer, int32_t type, int32_t i)
{
    if (type == TYPE_INT8) {
        return ((const int8_t *)buffer)[i];
    }
    int16_t v;
    memcpy(&v, (const uint8_t *)buffer + 2 * i, sizeof v);
    return v;
}

em_status em_quantize(const em_quantize_params *p, int32_t count, int32_t input_type, const void *input, int32_t output_type,
                      void *output)
{
    if (!p || !input || !output) {
        return EM_ERR_NULL;
    }
    if (count < 0 || (output_type != TYPE_INT8 && output_type != TYPE_INT16) ||
        (input_type != TYPE_INT8 && input_type != TYPE_INT16 && input_type != TYPE_FLOAT32)) {
        return EM_ERR_UNSUPPORTED;
    }
    const int32_t min = output_type == TYPE_INT8 ? -128 : -32768;
    const int32_t max = output_type == TYPE_INT8 ? 127 : 32767;
    const float scale = float_from_bits(p->output_scale_bits);
    for (int32_t i = 0; i < count; i++) {
        int32_t q;
        if (input_type == TYPE_FLOAT32) {
            float x;
            memcpy(&x, (const uint8_t *)input + 4 * i, sizeof x);
            q = em_wrap_add(quantize_round(x, scale), p->output_zero_point);
        } else {
            q = em_mbqm(read_quantized(input, input_type, i) - p->input_zero_point, p->multiplier, p->shift) + p->output_zero_point;
        }
        q = em_clamp(q, min, max);
        if (output_type == TYPE_INT8) {
            ((int8_t *)output)[i] = (int8_t)q;
        } else {
            const int16_t v = (int16_t)q;
            memcpy((uint8_t *)output + 2 * i, &v, sizeof v);
        }
    }
    return EM_OK;
}

em_status em_dequantize(const em_dequantize_params *p, int32_t count, int32_t input_type, const void *input, float *output)
{
    if (!p || !input || !output) {
        return EM_ERR_NULL;
    }
    if (count < 0 || (input_type != TYPE_INT8 && input_type != TYPE_INT16)) {
        return EM_ERR_UNSUPPORTED;
    }
    /* TFLM multiplies in double; the exact product of a float and an integer below 2^17 has at most 41 bits, so
       the double product is exact and rounding it to float gives what one float multiplication gives. */
    const float scale = float_from_bits(p->scale_bits);
    for (int32_t i = 0; i < count; i++) {
        const float v = scale * (float)(read_quantized(input, input_type, i) - p->zero_point);
        memcpy((uint8_t *)output + 4 * i, &v, sizeof v);
    }
    return EM_OK;
}
