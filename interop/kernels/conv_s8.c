/*
 * CONV_2D, int8 (TFLM reference_integer_ops::ConvPerChannel).
 *
 * em_conv_s8_reference is the plain loop, kept as the specification. em_conv_s8 is the fast variant the
 * runner uses: it computes two horizontally adjacent output positions with one multiply per weight by
 * packing both input values into one 64-bit integer (x0 + x1 * 2^32). The low half of the 64-bit
 * accumulator is then exactly the first position's int32 sum and the high half the second's, because each
 * sum fits in 32 bits. Four output channels share each packed input. The result is bit-identical to the
 * reference (tests/kernel_variant_test.cc).
 */
#include <string.h>

#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_common.h"

em_status em_conv_s8_reference(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                               const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    if (f->c != in->c || f->n != out->c || in->n != out->n) {
        return EM_ERR_SHAPE;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t in_y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                for (int32_t oc = 0; oc < out->c; oc++) {
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
                            const int8_t *x = input + ((b * in->h + iy) * in->w + ix) * in->c;
                            const int8_t *w = filter + ((oc * f->h + ky) * f->w + kx) * f->c;
                            for (int32_t ic = 0; ic < in->c; ic++) {
                                acc = em_wrap_add(acc, w[ic] * (x[ic] + input_offset));
                            }
                        }
                    }
                    output[((b * out->h + oy) * out->w + ox) * out->c + oc] = em_requantize(acc, q, oc, p->output_offset, p->act_min, p->act_max);
                }
            }
        }
    }
    return EM_OK;
}

size_t em_conv_s8_scratch_size(const em_conv_params *p, const em_dims *input, const em_dims *filter, const em_dims *output)
{
    (void)p;
    (void)input;
    (void)filter;
    (void)output;
    return 0; /* both variants work in registers */
}

#if EM_NARROW_MULTIPLY
/* Accumulates output channels oc..oc+3 (weights w0..w3) over the n input channels of one filter tap for one
   position (inputs x), in 32-bit sums a0..a3: the narrow form of EM_PACKED_TAP. */
#define EM_NARROW_TAP(x, n, off, w0, w1, w2, w3, a0, a1, a2, a3)                                                     \
    do {                                                                                                           \
        for (int32_t i = 0; i < (n); i++) {                                                                        \
            const int32_t xi = (x)[i] + (off);                                                                     \
            a0 += (uint32_t)(xi * (w0)[i]), a1 += (uint32_t)(xi * (w1)[i]);                                        \
            a2 += (uint32_t)(xi * (w2)[i]), a3 += (uint32_t)(xi * (w3)[i]);                                        \
        }                                                                                                          \
    } while (0)
#else
/*
 * Accumulates output channels oc..oc+3 (weights w0..w3, one per channel) over the input channels of one
 * filter tap, for the positions whose input rows are xa (low half) and xb (high half); either may be NULL
 * when that position's tap falls in the padding.
 */
#define EM_PACKED_TAP(xa, xb, n, off, w0, w1, w2, w3, a0, a1, a2, a3)                                  \
    do {                                                                                               \
        if ((xa) && (xb)) {                                                                            \
            for (int32_t i = 0; i < (n); i++) {                                                        \
                const int64_t x = (int64_t)((xa)[i] + (off)) + (int64_t)((uint64_t)(int64_t)((xb)[i] + (off)) << 32); \
                a0 += x * (w0)[i];                                                                     \
                a1 += x * (w1)[i];                                                                     \
                a2 += x * (w2)[i];                                                                     \
                a3 += x * (w3)[i];                                                                     \
            }                                                                                          \
        } else if (xa) {                                                                               \
            for (int32_t i = 0; i < (n); i++) {                                                        \
                const int64_t x = (xa)[i] + (off);                                                     \
                a0 += x * (w0)[i];                                                                     \
                a1 += x * (w1)[i];                                                                     \
                a2 += x * (w2)[i];                                                                     \
                a3 += x * (w3)[i];                                                                     \
            }                                                                                          \
        } else if (xb) {                                                                               \
            for (int32_t i = 0; i < (n); i++) {                                                        \
                const int64_t x = (int64_t)((uint64_t)(int64_t)((xb)[i] + (off)) << 32);               \
                a0 += x * (w0)[i];                                                                     \
                a1 += x * (w1)[i];                                                                     \
                a2 += x * (w2)[i];                                                                     \
                a3 += x * (w3)[i];                                                                     \
            }                                                                                          \
        }                                                                                              \
    } while (0)
#endif

/*
 * Positions ox0 and ox1 = ox0 + 1 (ox1 < 0: ox0 only), channels [oc, oc + 4) (or fewer: unused lanes repeat oc):
 * one packed 64-bit sum per channel for both positions, or two 32-bit sums where 64-bit products are slow
 * (EM_NARROW_MULTIPLY; a position whose tap falls in the padding skips it).
 */
static void conv_block(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                       const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output,
                       int32_t b, int32_t oy, int32_t ox0, int32_t ox1, int32_t oc, int32_t count, int32_t offset)
{
#if EM_NARROW_MULTIPLY
    uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
#else
    int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
#endif
    const int32_t taps = f->h * f->w * f->c;
    const int8_t *w0 = filter + oc * taps;
    const int8_t *w1 = count > 1 ? w0 + taps : w0;
    const int8_t *w2 = count > 2 ? w0 + 2 * taps : w0;
    const int8_t *w3 = count > 3 ? w0 + 3 * taps : w0;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w;
    const int32_t ixb0 = ixa0 + p->stride_w;
    const int32_t row_bytes = in->w * in->c;
    for (int32_t ky = 0; ky < f->h; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        if (iy < 0 || iy >= in->h) {
            continue;
        }
        const int8_t *row = input + (b * in->h + iy) * row_bytes;
        for (int32_t kx = 0; kx < f->w; kx++) {
            const int32_t dx = p->dilation_w * kx;
            const int32_t ia = ixa0 + dx, ib = ixb0 + dx;
            const int8_t *xa = (ia >= 0 && ia < in->w) ? row + ia * in->c : 0;
            const int8_t *xb = (ox1 >= 0 && ib >= 0 && ib < in->w) ? row + ib * in->c : 0;
            const int32_t t = (ky * f->w + kx) * f->c;
#if EM_NARROW_MULTIPLY
            if (xa) EM_NARROW_TAP(xa, f->c, offset, w0 + t, w1 + t, w2 + t, w3 + t, a0, a1, a2, a3);
            if (xb) EM_NARROW_TAP(xb, f->c, offset, w0 + t, w1 + t, w2 + t, w3 + t, b0, b1, b2, b3);
#else
            EM_PACKED_TAP(xa, xb, f->c, offset, w0 + t, w1 + t, w2 + t, w3 + t, a0, a1, a2, a3);
#endif
        }
    }
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c + oc;
    int8_t *o2 = ox1 >= 0 ? o + out->c : 0;
#if EM_NARROW_MULTIPLY
    em_requantize_two((int32_t)a0, (int32_t)b0, q, oc, p, o, o2);
    if (count > 1) em_requantize_two((int32_t)a1, (int32_t)b1, q, oc + 1, p, o + 1, o2 ? o2 + 1 : 0);
    if (count > 2) em_requantize_two((int32_t)a2, (int32_t)b2, q, oc + 2, p, o + 2, o2 ? o2 + 2 : 0);
    if (count > 3) em_requantize_two((int32_t)a3, (int32_t)b3, q, oc + 3, p, o + 3, o2 ? o2 + 3 : 0);
#else
    em_store_pair(p, q, o, o2, oc, a0);
    if (count > 1) em_store_pair(p, q, o + 1, o2 ? o2 + 1 : 0, oc + 1, a1);
    if (count > 2) em_store_pair(p, q, o + 2, o2 ? o2 + 2 : 0, oc + 2, a2);
    if (count > 3) em_store_pair(p, q, o + 3, o2 ? o2 + 3 : 0, oc + 3, a3);
#endif
}

#if !defined(__ARM_FEATURE_DSP) && !EM_NARROW_MULTIPLY
/*
 * 1x1 convolution, stride 1, no padding (pointwise): a matrix product over positions. Positions are paired
 * linearly across rows (p, p + 1), so odd widths lose nothing, and the input offset is zero (folded).
 */
static void pointwise(const em_conv_params *p, const em_requant *q, int32_t positions, int32_t channels, const int8_t *input,
                      const int8_t *filter, int32_t out_channels, int8_t *output)
{
    for (int32_t pos = 0; pos < positions; pos += 2) {
        const int8_t *xa = input + pos * channels;
        const int8_t *xb = pos + 1 < positions ? xa + channels : 0;
        int8_t *o = output + pos * out_channels;
        int8_t *o2 = xb ? o + out_channels : 0;
        for (int32_t oc = 0; oc < out_channels; oc += 4) {
            const int8_t *w0 = filter + oc * channels;
            const int8_t *w1 = w0 + channels, *w2 = w1 + channels, *w3 = w2 + channels;
            int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            if (xb) {
                for (int32_t i = 0; i < channels; i++) {
                    const int64_t x = (int64_t)xa[i] + (int64_t)((uint64_t)(int64_t)xb[i] << 32);
                    a0 += x * w0[i];
                    a1 += x * w1[i];
                    a2 += x * w2[i];
                    a3 += x * w3[i];
                }
            } else {
                for (int32_t i = 0; i < channels; i++) {
                    const int64_t x = xa[i];
                    a0 += x * w0[i];
                    a1 += x * w1[i];
                    a2 += x * w2[i];
                    a3 += x * w3[i];
                }
            }
            em_store_pair(p, q, o + oc, o2 ? o2 + oc : 0, oc, a0);
            em_store_pair(p, q, o + oc + 1, o2 ? o2 + oc + 1 : 0, oc + 1, a1);
            em_store_pair(p, q, o + oc + 2, o2 ? o2 + oc + 2 : 0, oc + 2, a2);
            em_store_pair(p, q, o + oc + 3, o2 ? o2 + oc + 3 : 0, oc + 3, a3);
        }
    }
}
#endif

#if EM_NARROW_MULTIPLY
/* Longest input row the narrow pointwise product packs on the stack (two words per input channel). */
#define EM_NARROW_POINTWISE_CHANNELS 128

/*
 * The pointwise product on cores without a fast 64-bit product: the input rows of four positions packed once into
 * two words per input channel (positions 0 and 1, then 2 and 3, as int16 halves), then one output channel at a
 * time: each weight loaded and sign-extended once for four 16-bit multiplies, four 32-bit sums in registers, the
 * channel's requantization parameters read once for its four outputs. Rows longer than
 * EM_NARROW_POINTWISE_CHANNELS take conv_block.
 */
static void pointwise_narrow(const em_conv_params *p, const em_requant *q, int32_t positions, int32_t channels, const int8_t *input,
                             const int8_t *filter, int32_t out_channels, int8_t *output)
{
    em_packed_pair words[2 * EM_NARROW_POINTWISE_CHANNELS];
    for (int32_t pos = 0; pos < positions; pos += 4) {
        const int32_t count = positions - pos < 4 ? positions - pos : 4;
        const int8_t *x0 = input + pos * channels;
        const int8_t *x1 = count > 1 ? x0 + channels : x0;
        const int8_t *x2 = count > 2 ? x0 + 2 * channels : x0;
        const int8_t *x3 = count > 3 ? x0 + 3 * channels : x0;
        for (int32_t i = 0; i < channels; i++) {
            words[2 * i] = em_pack_pair(x0[i], x1[i]);
            words[2 * i + 1] = em_pack_pair(x2[i], x3[i]);
        }
        int8_t *o = output + pos * out_channels;
        for (int32_t oc = 0; oc < out_channels; oc++) {
            const int8_t *w = filter + oc * channels;
            uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            const em_packed_pair *x = words;
            for (int32_t i = 0; i < channels; i++, x += 2) {
                const int32_t v = w[i], first = x[0], second = x[1];
                a0 += (uint32_t)((int16_t)first * v), a1 += (uint32_t)((int16_t)(first >> 16) * v);
                a2 += (uint32_t)((int16_t)second * v), a3 += (uint32_t)((int16_t)(second >> 16) * v);
            }
            em_requantize_two((int32_t)a0, (int32_t)a1, q, oc, p, o + oc, count > 1 ? o + out_channels + oc : 0);
            if (count > 2) {
                em_requantize_two((int32_t)a2, (int32_t)a3, q, oc, p, o + 2 * out_channels + oc,
                                  count > 3 ? o + 3 * out_channels + oc : 0);
            }
        }
    }
}
#endif

#if defined(__ARM_FEATURE_DSP)
/* Longest input row the DSP pointwise product widens on the stack (one word per input channel). */
#define EM_DSP_POINTWISE_CHANNELS 256

/*
 * The pointwise product with the DSP extension (Cortex-M4/M7): the input rows of two positions widened once per
 * pair by SXTB16 into int16 lanes (per four channels: channels 0 and 2, then 1 and 3, of position a, then of b),
 * then two output channels at a time, SMLAD adding both lane products to a 32-bit sum: four MACs in two
 * instructions, exact (int8 x int8 fits 16 bits, the sums wrap as TFLM's int32 accumulator does). Two positions by
 * two channels keep the four sums, four input words and the weights in registers. Rows longer than
 * EM_DSP_POINTWISE_CHANNELS take conv_block.
 */
static void pointwise_dsp(const em_conv_params *p, const em_requant *q, int32_t positions, int32_t channels, const int8_t *input,
                          const int8_t *filter, int32_t out_channels, int8_t *output)
{
    uint32_t words[EM_DSP_POINTWISE_CHANNELS];
    const int32_t whole = channels & ~3; /* channels in groups of four; the rest one at a time */
    for (int32_t pos = 0; pos < positions; pos += 2) {
        const int8_t *xa = input + pos * channels;
        const int8_t *xb = pos + 1 < positions ? xa + channels : xa;
        int8_t *o = output + pos * out_channels;
        int8_t *o2 = pos + 1 < positions ? o + out_channels : 0;
        for (int32_t i = 0; i < whole; i += 4) {
            const uint32_t a4 = em_load4(xa + i), b4 = em_load4(xb + i);
            words[i] = __sxtb16(a4), words[i + 1] = em_sxtb16_ror8(a4);
            words[i + 2] = __sxtb16(b4), words[i + 3] = em_sxtb16_ror8(b4);
        }
        for (int32_t oc = 0; oc < out_channels; oc += 2) {
            const int8_t *w0 = filter + oc * channels, *w1 = w0 + channels;
            int32_t a0 = 0, b0 = 0, a1 = 0, b1 = 0;
            const uint32_t *x = words;
            for (int32_t i = 0; i < whole; i += 4, x += 4) {
                uint32_t w = em_load4(w0 + i), we = __sxtb16(w), wo = em_sxtb16_ror8(w);
                a0 = __smlad(x[1], wo, __smlad(x[0], we, a0));
                b0 = __smlad(x[3], wo, __smlad(x[2], we, b0));
                w = em_load4(w1 + i), we = __sxtb16(w), wo = em_sxtb16_ror8(w);
                a1 = __smlad(x[1], wo, __smlad(x[0], we, a1));
                b1 = __smlad(x[3], wo, __smlad(x[2], we, b1));
            }
            for (int32_t i = whole; i < channels; i++) {
                a0 += xa[i] * w0[i], b0 += xb[i] * w0[i], a1 += xa[i] * w1[i], b1 += xb[i] * w1[i];
            }
            em_requantize_two(a0, b0, q, oc, p, o + oc, o2 ? o2 + oc : 0);
            em_requantize_two(a1, b1, q, oc + 1, p, o + oc + 1, o2 ? o2 + oc + 1 : 0);
        }
    }
}
#endif

em_status em_conv_s8(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                     const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    if (f->c != in->c || f->n != out->c || in->n != out->n) {
        return EM_ERR_SHAPE;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    if (f->h == 1 && f->w == 1 && p->stride_w == 1 && p->stride_h == 1 && p->pad_w == 0 && p->pad_h == 0 && input_offset == 0 &&
        out->c % 4 == 0 && in->h == out->h && in->w == out->w) {
#if defined(__ARM_FEATURE_DSP)
        if (in->c <= EM_DSP_POINTWISE_CHANNELS) { /* longer rows: the general loops below */
            pointwise_dsp(p, q, out->n * out->h * out->w, in->c, input, filter, out->c, output);
            return EM_OK;
        }
#elif EM_NARROW_MULTIPLY
        if (in->c <= EM_NARROW_POINTWISE_CHANNELS) { /* longer rows: the general loops below */
            pointwise_narrow(p, q, out->n * out->h * out->w, in->c, input, filter, out->c, output);
            return EM_OK;
        }
#else
        pointwise(p, q, out->n * out->h * out->w, in->c, input, filter, out->c, output);
        return EM_OK;
#endif
    }
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            for (int32_t ox = 0; ox < out->w; ox += 2) {
                const int32_t ox1 = ox + 1 < out->w ? ox + 1 : -1;
#if defined(__ARM_FEATURE_DSP)
                if (in->c == 1 && f->h * f->w <= EM_MAX_PACKED_TAPS && (f->h * f->w) % 4 == 0) {
                    em_single_channel_pair_dsp(p, q, in, input, f->h, f->w, filter, out, output, b, oy, ox, ox1, input_offset);
                    continue;
                }
#endif
                if (in->c == 1 && f->h * f->w <= EM_MAX_PACKED_TAPS) {
                    /* one input channel (a spectrogram): each packed input feeds every output channel */
#if EM_NARROW_MULTIPLY
                    em_single_channel_pair_narrow(p, q, in, input, 0, f->h, f->w, filter, 1, f->h * f->w, out, output, b, oy, ox,
                                                  ox1, 0, out->c, input_offset);
#else
                    em_single_channel_pair(p, q, in, input, 0, f->h, f->w, filter, 1, f->h * f->w, out, output, b, oy, ox, ox1,
                                           0, out->c, input_offset);
#endif
                    continue;
                }
                for (int32_t oc = 0; oc < out->c; oc += 4) {
                    const int32_t count = out->c - oc < 4 ? out->c - oc : 4;
                    conv_block(p, q, in, input, f, filter, out, output, b, oy, ox, ox1, oc, count, input_offset);
                }
            }
        }
    }
    return EM_OK;
}
