/*
 * QUANTIZE and DEQUANTIZE at the model's edges (TFLM reference_ops::AffineQuantize / Requantize / Dequantize).
 * The float paths need a floating-point unit or soft-float; the int8 kernels never use floating point.
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
    const double scale = (double)float_from_bits(p->output_scale_bits);
    for (int32_t i = 0; i < count; i++) {
        int32_t q;
        if (input_type == TYPE_FLOAT32) {
            float x;
            memcpy(&x, (const uint8_t *)input + 4 * i, sizeof x);
            q = em_wrap_add(round_half_away((double)x / scale), p->output_zero_point);
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
    const double scale = (double)float_from_bits(p->scale_bits);
    for (int32_t i = 0; i < count; i++) {
        const float v = (float)(scale * (double)(read_quantized(input, input_type, i) - p->zero_point));
        memcpy((uint8_t *)output + 4 * i, &v, sizeof v);
    }
    return EM_OK;
}
