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

#if !defined(__ARM_FEATURE_DSP)
/* Packs channel c of positions xa (low) and xb (high), either NULL in the padding. */
EM_INLINE int64_t dw_pack(const int8_t *xa, const int8_t *xb, int32_t c, int32_t offset)
{
    int64_t x = xa ? (int64_t)(xa[c] + offset) : 0;
    return xb ? x + (int64_t)((uint64_t)(int64_t)(xb[c] + offset) << 32) : x;
}

/* Depth multiplier 1: positions ox0 and ox1 (ox1 < 0: ox0 only), channels c0..c0+3. */
static void dw_channels4(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                         const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output, int32_t b, int32_t oy,
                         int32_t ox0, int32_t ox1, int32_t c0, int32_t offset)
{
    int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w;
    const int32_t ixb0 = ixa0 + p->stride_w;
    const int32_t row_bytes = in->w * in->c;
    for (int32_t ky = 0; ky < f->h; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        if (iy < 0 || iy >= in->h) {
            continue;
        }
        const int8_t *row = input + (b * in->h + iy) * row_bytes + c0;
        const int8_t *w = filter + ky * f->w * out->c + c0;
        for (int32_t kx = 0; kx < f->w; kx++, w += out->c) {
            const int32_t dx = p->dilation_w * kx;
            const int32_t ia = ixa0 + dx, ib = ixb0 + dx;
            const int8_t *xa = (ia >= 0 && ia < in->w) ? row + ia * in->c : 0;
            const int8_t *xb = (ox1 >= 0 && ib >= 0 && ib < in->w) ? row + ib * in->c : 0;
            a0 += dw_pack(xa, xb, 0, offset) * w[0];
            a1 += dw_pack(xa, xb, 1, offset) * w[1];
            a2 += dw_pack(xa, xb, 2, offset) * w[2];
            a3 += dw_pack(xa, xb, 3, offset) * w[3];
        }
    }
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c + c0;
    int8_t *o2 = ox1 >= 0 ? o + out->c : 0;
    em_store_pair(p, q, o, o2, c0, a0);
    em_store_pair(p, q, o + 1, o2 ? o2 + 1 : 0, c0 + 1, a1);
    em_store_pair(p, q, o + 2, o2 ? o2 + 2 : 0, c0 + 2, a2);
    em_store_pair(p, q, o + 3, o2 ? o2 + 3 : 0, c0 + 3, a3);
}
#endif

#if defined(__ARM_FEATURE_DSP)
/*
 * dw_channels4 with the DSP extension: four channels' inputs and weights in one word each, widened by SXTB16 into
 * int16 lanes (channels 0 and 2, then 1 and 3), the input offset added to both lanes at once (SADD16: the sum
 * fits 16 bits), and one 16x16 multiply-accumulate per channel and position (SMLABB / SMLATT, wrapping as TFLM's
 * int32 accumulator). Both positions share each weight load (measured: fewer instructions than one position at a
 * time, despite the accumulators spilling).
 */
static void dw_channels4_dsp(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                             const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output, int32_t b, int32_t oy,
                             int32_t ox0, int32_t ox1, int32_t c0, int32_t offset)
{
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    const uint32_t offsets = (uint32_t)(uint16_t)offset * 0x00010001u;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w;
    const int32_t ixb0 = ixa0 + p->stride_w;
    const int32_t row_bytes = in->w * in->c;
    for (int32_t ky = 0; ky < f->h; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        if (iy < 0 || iy >= in->h) {
            continue;
        }
        const int8_t *row = input + (b * in->h + iy) * row_bytes + c0;
        const int8_t *w = filter + ky * f->w * out->c + c0;
        for (int32_t kx = 0; kx < f->w; kx++, w += out->c) {
            const int32_t dx = p->dilation_w * kx;
            const int32_t ia = ixa0 + dx, ib = ixb0 + dx;
            const uint32_t w4 = em_load4(w), we = __sxtb16(w4), wo = __sxtb16(em_ror8(w4));
            if (ia >= 0 && ia < in->w) {
                const uint32_t x4 = em_load4(row + ia * in->c);
                const uint32_t xe = __sadd16(__sxtb16(x4), offsets), xo = __sadd16(__sxtb16(em_ror8(x4)), offsets);
                a0 = __smlabb(xe, we, a0), a2 = __smlatt(xe, we, a2), a1 = __smlabb(xo, wo, a1), a3 = __smlatt(xo, wo, a3);
            }
            if (ox1 >= 0 && ib >= 0 && ib < in->w) {
                const uint32_t x4 = em_load4(row + ib * in->c);
                const uint32_t xe = __sadd16(__sxtb16(x4), offsets), xo = __sadd16(__sxtb16(em_ror8(x4)), offsets);
                b0 = __smlabb(xe, we, b0), b2 = __smlatt(xe, we, b2), b1 = __smlabb(xo, wo, b1), b3 = __smlatt(xo, wo, b3);
            }
        }
    }
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c + c0;
    const int32_t a[4] = {a0, a1, a2, a3}, bb[4] = {b0, b1, b2, b3};
    for (int32_t j = 0; j < 4; j++) {
        o[j] = em_requantize(a[j], q, c0 + j, p->output_offset, p->act_min, p->act_max);
        if (ox1 >= 0) {
            o[out->c + j] = em_requantize(bb[j], q, c0 + j, p->output_offset, p->act_min, p->act_max);
        }
    }
}
#endif

em_status em_depthwise_conv_s8(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                               const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    em_status s = check(p, in, f, out);
    if (s != EM_OK) {
        return s;
    }
    if (f->h * f->w > EM_MAX_PACKED_TAPS && !(p->depth_multiplier == 1 && in->c % 4 == 0)) {
        return em_depthwise_conv_s8_reference(p, q, in, input, f, filter, out, output);
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
#if defined(__ARM_FEATURE_DSP)
    /* One input channel (micro_speech's first layer): the filter transposed once to [channel][tap] on the stack,
     * then the DSP pair path of the one-channel convolution. */
    const int32_t taps = f->h * f->w;
    if (in->c == 1 && taps % 4 == 0 && taps <= EM_MAX_PACKED_TAPS && taps * out->c <= EM_DSP_TRANSPOSED_BYTES) {
        int8_t transposed[EM_DSP_TRANSPOSED_BYTES];
        for (int32_t oc = 0; oc < out->c; oc++) {
            for (int32_t t = 0; t < taps; t++) {
                transposed[oc * taps + t] = filter[t * out->c + oc];
            }
        }
        for (int32_t b = 0; b < out->n; b++) {
            for (int32_t oy = 0; oy < out->h; oy++) {
                for (int32_t ox = 0; ox < out->w; ox += 2) {
                    em_single_channel_pair_dsp(p, q, in, input, f->h, f->w, transposed, out, output, b, oy, ox,
                                               ox + 1 < out->w ? ox + 1 : -1, input_offset);
                }
            }
        }
        return EM_OK;
    }
#endif
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            for (int32_t ox = 0; ox < out->w; ox += 2) {
                const int32_t ox1 = ox + 1 < out->w ? ox + 1 : -1;
                if (p->depth_multiplier == 1 && in->c % 4 == 0) {
                    for (int32_t c = 0; c < in->c; c += 4) {
#if defined(__ARM_FEATURE_DSP)
                        dw_channels4_dsp(p, q, in, input, f, filter, out, output, b, oy, ox, ox1, c, input_offset);
#else
                        dw_channels4(p, q, in, input, f, filter, out, output, b, oy, ox, ox1, c, input_offset);
#endif
                    }
                    continue;
                }
                for (int32_t ic = 0; ic < in->c; ic++) {
                    em_single_channel_pair(p, q, in, input, ic, f->h, f->w, filter, out->c, 1, out, output, b, oy, ox, ox1,
                                           ic * p->depth_multiplier, p->depth_multiplier, input_offset);
                }
            }
        }
    }
    return EM_OK;
}
