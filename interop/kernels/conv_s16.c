/*
 * CONV_2D and DEPTHWISE_CONV_2D with int16 activations and int8 per-channel weights (TFLM's 16x8
 * reference_integer_ops::ConvPerChannel / DepthwiseConvPerChannel). Zero points are 0, so there are no
 * offsets; padded positions are skipped. Sums are exact in int64; em_s16_requantize applies TFLM's 64- or
 * 32-bit accumulator (accumulator_bits), which TFLM picks from the bias type.
 */
#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_s16.h"

int16_t em_s16_requantize(int64_t sum, int32_t accumulator_bits, const em_requant *q, int32_t bias_channel, int32_t quant_channel,
                          int32_t act_min, int32_t act_max)
{
    int32_t v;
    if (accumulator_bits == 64) {
        if (q->bias) {
            const uint64_t bias = (uint64_t)(uint32_t)q->bias[2 * bias_channel] | ((uint64_t)(uint32_t)q->bias[2 * bias_channel + 1] << 32);
            sum = (int64_t)((uint64_t)sum + bias);
        }
        v = em_mbqm64(sum, q->multipliers[quant_channel], q->shifts[quant_channel]);
    } else {
        const int32_t low = (int32_t)(uint32_t)(uint64_t)sum;
        v = em_mbqm(q->bias ? em_wrap_add(low, q->bias[bias_channel]) : low, q->multipliers[quant_channel], q->shifts[quant_channel]);
    }
    return (int16_t)em_clamp(v, act_min, act_max);
}

static em_status conv_s16_check(const em_conv_s16_params *p, const em_requant *q, const em_dims *in, const int16_t *input,
                                const em_dims *f, const int8_t *filter, const em_dims *out, const int16_t *output)
{
    if (!p || !q || !q->multipliers || !q->shifts || !in || !input || !f || !filter || !out || !output) {
        return EM_ERR_NULL;
    }
    if (p->stride_w < 1 || p->stride_h < 1 || p->dilation_w < 1 || p->dilation_h < 1 || p->pad_w < 0 || p->pad_h < 0 ||
        (p->accumulator_bits != 32 && p->accumulator_bits != 64)) {
        return EM_ERR_PARAMS;
    }
    return in->n == out->n ? EM_OK : EM_ERR_SHAPE;
}

em_status em_conv_s16(const em_conv_s16_params *p, const em_requant *q, const em_dims *in, const int16_t *input,
                      const em_dims *f, const int8_t *filter, const em_dims *out, int16_t *output)
{
    em_status s = conv_s16_check(p, q, in, input, f, filter, out, output);
    if (s != EM_OK) {
        return s;
    }
    if (f->c != in->c || f->n != out->c) {
        return EM_ERR_SHAPE;
    }
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            for (int32_t ox = 0; ox < out->w; ox++) {
                for (int32_t oc = 0; oc < out->c; oc++) {
                    int64_t acc = 0;
                    for (int32_t fy = 0; fy < f->h; fy++) {
                        const int32_t iy = oy * p->stride_h - p->pad_h + p->dilation_h * fy;
                        for (int32_t fx = 0; fx < f->w; fx++) {
                            const int32_t ix = ox * p->stride_w - p->pad_w + p->dilation_w * fx;
                            if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w) {
                                continue;
                            }
                            const int16_t *x = input + ((b * in->h + iy) * in->w + ix) * in->c;
                            const int8_t *w = filter + ((oc * f->h + fy) * f->w + fx) * f->c;
                            for (int32_t ic = 0; ic < in->c; ic++) {
                                acc += w[ic] * x[ic];
                            }
                        }
                    }
                    output[((b * out->h + oy) * out->w + ox) * out->c + oc] =
                        em_s16_requantize(acc, p->accumulator_bits, q, oc, oc, p->act_min, p->act_max);
                }
            }
        }
    }
    return EM_OK;
}

em_status em_depthwise_conv_s16(const em_conv_s16_params *p, const em_requant *q, const em_dims *in, const int16_t *input,
                                const em_dims *f, const int8_t *filter, const em_dims *out, int16_t *output)
{
    em_status s = conv_s16_check(p, q, in, input, f, filter, out, output);
    if (s != EM_OK) {
        return s;
    }
    if (p->depth_multiplier < 1 || f->n != 1 || f->c != out->c || in->c * p->depth_multiplier != out->c) {
        return EM_ERR_SHAPE;
    }
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            for (int32_t ox = 0; ox < out->w; ox++) {
                for (int32_t oc = 0; oc < out->c; oc++) {
                    const int32_t ic = oc / p->depth_multiplier;
                    int64_t acc = 0;
                    for (int32_t fy = 0; fy < f->h; fy++) {
                        const int32_t iy = oy * p->stride_h - p->pad_h + p->dilation_h * fy;
                        for (int32_t fx = 0; fx < f->w; fx++) {
                            const int32_t ix = ox * p->stride_w - p->pad_w + p->dilation_w * fx;
                            if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w) {
                                continue;
                            }
                            acc += filter[(fy * f->w + fx) * f->c + oc] * input[((b * in->h + iy) * in->w + ix) * in->c + ic];
                        }
                    }
                    output[((b * out->h + oy) * out->w + ox) * out->c + oc] =
                        em_s16_requantize(acc, p->accumulator_bits, q, oc, oc, p->act_min, p->act_max);
                }
            }
        }
    }
    return EM_OK;
}
