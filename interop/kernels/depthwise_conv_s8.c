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

#if !defined(__ARM_FEATURE_DSP) && !EM_NARROW_MULTIPLY
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

/* Most taps (kh * kw) whose offsets the 32-bit targets' depthwise path lists on the stack; larger filters take the
   portable loops. */
#define EM_DW_MAX_TAPS 64

#if defined(__ARM_FEATURE_DSP)
/*
 * Four channels' sums over a position's taps: tap t's inputs at x + offsets[2t], its weights at w + offsets[2t + 1].
 * With the DSP extension: the four channels' inputs and weights in one word each, widened by SXTB16 into int16
 * lanes (channels 0 and 2, then 1 and 3), the input offset added to both lanes at once (SADD16: the sum fits 16
 * bits), one 16x16 multiply-accumulate per channel (SMLABB / SMLATT, wrapping as TFLM's int32 accumulator).
 */
EM_INLINE void dw_taps4(const int8_t *x, const int8_t *w, const int32_t *offsets, int32_t taps, int32_t offset,
                        uint32_t sums[4])
{
    const uint32_t input_offsets = (uint32_t)(uint16_t)offset * 0x00010001u;
    int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (const int32_t *end = offsets + 2 * taps; offsets < end; offsets += 2) {
        const uint32_t w4 = em_load4(w + offsets[1]), we = __sxtb16(w4), wo = em_sxtb16_ror8(w4);
        const uint32_t x4 = em_load4(x + offsets[0]);
        const uint32_t xe = __sadd16(__sxtb16(x4), input_offsets), xo = __sadd16(em_sxtb16_ror8(x4), input_offsets);
        a0 = __smlabb(xe, we, a0), a2 = __smlatt(xe, we, a2), a1 = __smlabb(xo, wo, a1), a3 = __smlatt(xo, wo, a3);
    }
    sums[0] = (uint32_t)a0, sums[1] = (uint32_t)a1, sums[2] = (uint32_t)a2, sums[3] = (uint32_t)a3;
}
#elif EM_NARROW_MULTIPLY
/* dw_taps4 on cores without a fast 64-bit product: plain 32-bit multiply-accumulates with few live values, so the
   four sums stay in registers on a 16-register core. */
EM_INLINE void dw_taps4(const int8_t *x, const int8_t *w, const int32_t *offsets, int32_t taps, int32_t offset,
                        uint32_t sums[4])
{
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (const int32_t *end = offsets + 2 * taps; offsets < end; offsets += 2) {
        const int8_t *xt = x + offsets[0], *wt = w + offsets[1];
        a0 += (uint32_t)((xt[0] + offset) * wt[0]), a1 += (uint32_t)((xt[1] + offset) * wt[1]);
        a2 += (uint32_t)((xt[2] + offset) * wt[2]), a3 += (uint32_t)((xt[3] + offset) * wt[3]);
    }
    sums[0] = a0, sums[1] = a1, sums[2] = a2, sums[3] = a3;
}
#endif

#if defined(__ARM_FEATURE_DSP) || EM_NARROW_MULTIPLY
/*
 * Depth multiplier 1, channels a multiple of four, one output position (the 32-bit targets): the position's taps
 * inside the input listed once as input and weight offsets (taps in the padding left out), then every group of
 * four channels through dw_taps4. One position at a time keeps the four sums in registers; two positions' eight
 * spill on these cores and cost more than the weight loads they would share. Needs kh * kw <= EM_DW_MAX_TAPS.
 */
static void dw_position_channels4(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                                  const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output, int32_t b,
                                  int32_t oy, int32_t ox, int32_t offset)
{
    int32_t offsets[2 * EM_DW_MAX_TAPS]; /* per tap: input offset, weight offset */
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox * p->stride_w - p->pad_w;
    int32_t taps = 0;
    for (int32_t ky = 0; ky < f->h; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        if (iy < 0 || iy >= in->h) {
            continue;
        }
        for (int32_t kx = 0; kx < f->w; kx++) {
            const int32_t ix = ix0 + p->dilation_w * kx;
            if (ix >= 0 && ix < in->w) {
                offsets[2 * taps] = ((b * in->h + iy) * in->w + ix) * in->c;
                offsets[2 * taps + 1] = (ky * f->w + kx) * out->c;
                taps++;
            }
        }
    }
    int8_t *o = output + ((b * out->h + oy) * out->w + ox) * out->c;
    uint32_t sums[EM_REQUANT_RUN];
    for (int32_t run = 0; run < in->c; run += EM_REQUANT_RUN) {
        const int32_t n = in->c - run < EM_REQUANT_RUN ? in->c - run : EM_REQUANT_RUN;
        for (int32_t c = 0; c < n; c += 4) {
            dw_taps4(input + run + c, filter + run + c, offsets, taps, offset, sums + c);
        }
        em_requantize_run(sums, n, q, run, p, o + run);
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
#if defined(__ARM_FEATURE_DSP) || EM_NARROW_MULTIPLY
    if (f->h * f->w > EM_DW_MAX_TAPS && p->depth_multiplier == 1 && in->c % 4 == 0) {
        return em_depthwise_conv_s8_reference(p, q, in, input, f, filter, out, output); /* no room for the tap list */
    }
#endif
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
#if defined(__ARM_FEATURE_DSP) || EM_NARROW_MULTIPLY
                    dw_position_channels4(p, q, in, input, f, filter, out, output, b, oy, ox, input_offset);
                    if (ox1 >= 0) {
                        dw_position_channels4(p, q, in, input, f, filter, out, output, b, oy, ox1, input_offset);
                    }
#else
                    for (int32_t c = 0; c < in->c; c += 4) {
                        dw_channels4(p, q, in, input, f, filter, out, output, b, oy, ox, ox1, c, input_offset);
                    }
#endif
                    continue;
                }
                for (int32_t ic = 0; ic < in->c; ic++) {
#if EM_NARROW_MULTIPLY
                    em_single_channel_pair_narrow(p, q, in, input, ic, f->h, f->w, filter, out->c, 1, out, output, b, oy, ox,
                                                  ox1, ic * p->depth_multiplier, p->depth_multiplier, input_offset);
#else
                    em_single_channel_pair(p, q, in, input, ic, f->h, f->w, filter, out->c, 1, out, output, b, oy, ox, ox1,
                                           ic * p->depth_multiplier, p->depth_multiplier, input_offset);
#endif
                }
            }
        }
    }
    return EM_OK;
}
