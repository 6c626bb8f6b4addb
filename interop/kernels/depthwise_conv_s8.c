/*
 * DEPTHWISE_CONV_2D, int8, depth multiplier M (TFLM reference_integer_ops::DepthwiseConvPerChannel).
 * Output channel c*M+m reads input channel c; weights are [1, KH, KW, C*M].
 *
 * em_depthwise_conv_s8 packs two adjacent output positions into one 64-bit multiply as em_conv_s8 does,
 * and shares each packed input across the M output channels of its input channel (micro_speech: one input
 * channel, M = 8).
 */
#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_common.h"

static em_status check(const em_conv_params *p, const em_dims *in, const em_dims *f, const em_dims *out)
{
    if (f->n != 1 || f->c != out->c || p->depth_multiplier < 1 || in->c * p->depth_multiplier != out->c || in->n != out->n) {
        return EM_ERR_SHAPE;
    }
    return EM_OK;
}

em_status em_depthwise_conv_s8_reference(const em_conv_params *p, const em_requant *q, const em_dims *in,
                                         const int8_t *input, const em_dims *f, const int8_t *filter,
                                         const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    em_status s = check(p, in, f, out);
    if (s != EM_OK) {
        return s;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    const int32_t m_count = p->depth_multiplier;
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t in_y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                for (int32_t ic = 0; ic < in->c; ic++) {
                    for (int32_t m = 0; m < m_count; m++) {
                        const int32_t oc = ic * m_count + m;
                        int32_t acc = 0;
                        for (int32_t ky = 0; ky < f->h; ky++) {
                            const int32_t iy = in_y0 + p->dilation_h * ky;
                            if (iy < 0 || iy >= in->h) {
                                continue;
                            }
                            for (int32_t kx = 0; kx < f->w; kx++) {
                                const int32_t ix = in_x0 + p->dilation_w * kx;
                                if (ix < 0 || ix >= in->w) {
                                    continue;
                                }
                                const int32_t x = input[((b * in->h + iy) * in->w + ix) * in->c + ic];
                                acc = em_wrap_add(acc, filter[(ky * f->w + kx) * out->c + oc] * (x + input_offset));
                            }
                        }
                        output[((b * out->h + oy) * out->w + ox) * out->c + oc] =
                            em_requantize(acc, q, oc, p->output_offset, p->act_min, p->act_max);
                    }
                }
            }
        }
    }
    return EM_OK;
}

#define EM_DW_BLOCK 8

/* Output positions x0 and x1 (x1 < 0: x0 only), input channel ic, its output channels [m0, m0 + count). */
static void dw_block(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                     const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output, int32_t b, int32_t oy,
                     int32_t ox0, int32_t ox1, int32_t ic, int32_t m0, int32_t count, int32_t input_offset)
{
    int64_t acc[EM_DW_BLOCK] = {0, 0, 0, 0, 0, 0, 0, 0};
    const int32_t oc0 = ic * p->depth_multiplier + m0;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox0 * p->stride_w - p->pad_w;
    const int32_t ix1 = ox1 * p->stride_w - p->pad_w;
    const int32_t row = in->w * in->c;
    for (int32_t ky = 0; ky < f->h; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        if (iy < 0 || iy >= in->h) {
            continue;
        }
        const int8_t *x_row = input + (b * in->h + iy) * row + ic;
        for (int32_t kx = 0; kx < f->w; kx++) {
            const int32_t dx = p->dilation_w * kx;
            const int32_t xa = ix0 + dx;
            const int32_t xb = ix1 + dx;
            int64_t x = (xa >= 0 && xa < in->w) ? (int64_t)(x_row[xa * in->c] + input_offset) : 0;
            if (ox1 >= 0 && xb >= 0 && xb < in->w) {
                x += (int64_t)(x_row[xb * in->c] + input_offset) * ((int64_t)1 << 32);
            }
            if (x == 0) {
                continue;
            }
            const int8_t *w = filter + (ky * f->w + kx) * out->c + oc0;
            for (int32_t j = 0; j < count; j++) {
                acc[j] += x * w[j];
            }
        }
    }
    for (int32_t j = 0; j < count; j++) {
        int32_t lo, hi;
        em_unpack(acc[j], &lo, &hi);
        int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c + oc0 + j;
        o[0] = em_requantize(lo, q, oc0 + j, p->output_offset, p->act_min, p->act_max);
        if (ox1 >= 0) {
            o[out->c * (ox1 - ox0)] = em_requantize(hi, q, oc0 + j, p->output_offset, p->act_min, p->act_max);
        }
    }
}

em_status em_depthwise_conv_s8(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                               const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    em_status s = check(p, in, f, out);
    if (s != EM_OK) {
        return s;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            for (int32_t ox = 0; ox < out->w; ox += 2) {
                const int32_t ox1 = ox + 1 < out->w ? ox + 1 : -1;
                for (int32_t ic = 0; ic < in->c; ic++) {
                    for (int32_t m = 0; m < p->depth_multiplier; m += EM_DW_BLOCK) {
                        const int32_t count = p->depth_multiplier - m < EM_DW_BLOCK ? p->depth_multiplier - m : EM_DW_BLOCK;
                        dw_block(p, q, in, input, f, filter, out, output, b, oy, ox, ox1, ic, m, count, input_offset);
                    }
                }
            }
        }
    }
    return EM_OK;
}
