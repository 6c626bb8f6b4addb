/* Helpers shared by the kernels (internal). */
#ifndef EM_KERNEL_COMMON_H
#define EM_KERNEL_COMMON_H

#include "edge_micro.h"
#include "fixed_point.h"

#define EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output)                                              \
    do {                                                                                                           \
        if (!(p) || !(q) || !(q)->multipliers || !(q)->shifts || !(in) || !(input) || !(f) || !(filter) || !(out) || \
            !(output)) {                                                                                           \
            return EM_ERR_NULL;                                                                                    \
        }                                                                                                          \
        if ((p)->stride_w < 1 || (p)->stride_h < 1 || (p)->dilation_w < 1 || (p)->dilation_h < 1 || (p)->pad_w < 0 || \
            (p)->pad_h < 0) {                                                                                      \
            return EM_ERR_PARAMS;                                                                                  \
        }                                                                                                          \
    } while (0)

/*
 * bias + requantize + offset + clamp for output channel c. Multipliers are validated non-negative, so the
 * one saturating case of SaturatingRoundingDoublingHighMul (INT32_MIN squared) cannot occur, and with the
 * usual non-positive shift the left shift disappears: em_mbqm without those two steps, same result.
 */
static inline int8_t em_requantize(int32_t acc, const em_requant *q, int32_t c, int32_t output_offset, int32_t act_min,
                                   int32_t act_max)
{
    if (q->bias) {
        acc = em_wrap_add(acc, q->bias[c]);
    }
    const int32_t shift = q->shifts[c];
    if (shift > 0 || q->multipliers[c] < 0) {
        acc = em_mbqm(acc, q->multipliers[c], shift);
    } else {
        const int64_t ab = (int64_t)acc * q->multipliers[c];
        const int64_t nudge = ab >= 0 ? (1LL << 30) : (1LL - (1LL << 30));
        acc = em_rdbpot((int32_t)((ab + nudge) / (1LL << 31)), -shift);
    }
    return (int8_t)em_clamp(acc + output_offset, act_min, act_max);
}

/* Splits a packed accumulator x0_sum + x1_sum * 2^32 into its two int32 sums. */
static inline void em_unpack(int64_t acc, int32_t *lo, int32_t *hi)
{
    *lo = (int32_t)(uint32_t)(uint64_t)acc;
    *hi = (int32_t)((acc - (int64_t)*lo) / ((int64_t)1 << 32));
}

/* Requantizes a packed pair accumulator into output positions ox and ox + 1 (second = NULL: ox only). */
#if defined(__GNUC__)
#define EM_INLINE static inline __attribute__((always_inline))
#else
#define EM_INLINE static inline
#endif

EM_INLINE void em_store_pair(const em_conv_params *p, const em_requant *q, int8_t *first, int8_t *second, int32_t oc,
                                 int64_t acc)
{
    int32_t lo, hi;
    em_unpack(acc, &lo, &hi);
    *first = em_requantize(lo, q, oc, p->output_offset, p->act_min, p->act_max);
    if (second) {
        *second = em_requantize(hi, q, oc, p->output_offset, p->act_min, p->act_max);
    }
}

/* Largest filter (KH x KW taps) whose packed inputs the single-channel path keeps on the stack (8 bytes each). */
#define EM_MAX_PACKED_TAPS 128

/*
 * One input channel, many output channels, for a pair of output positions (ox1 < 0: ox0 only): packs each
 * tap's two inputs once (x0 + x1 * 2^32, zero in the padding), then runs output channels
 * [oc_first, oc_first + oc_count) four at a time over the packed taps. The weight of (tap, oc) is
 * w[tap * tap_stride + oc * oc_stride]: DEPTHWISE_CONV_2D has tap_stride = channels, oc_stride = 1; a
 * CONV_2D with one input channel has tap_stride = 1, oc_stride = taps. Requires kh * kw <= EM_MAX_PACKED_TAPS.
 */
static inline void em_single_channel_pair(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                                          int32_t ic, int32_t kh, int32_t kw, const int8_t *w, int32_t tap_stride,
                                          int32_t oc_stride, const em_dims *out, int8_t *output, int32_t b, int32_t oy,
                                          int32_t ox0, int32_t ox1, int32_t oc_first, int32_t oc_count, int32_t offset)
{
    int64_t packed[EM_MAX_PACKED_TAPS];
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w;
    const int32_t ixb0 = ixa0 + p->stride_w;
    const int32_t row_bytes = in->w * in->c;
    int32_t t = 0;
    for (int32_t ky = 0; ky < kh; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        const int y_inside = iy >= 0 && iy < in->h;
        const int8_t *row = input + (b * in->h + iy) * row_bytes + ic;
        for (int32_t kx = 0; kx < kw; kx++, t++) {
            const int32_t dx = p->dilation_w * kx;
            const int32_t ia = ixa0 + dx, ib = ixb0 + dx;
            int64_t x = (y_inside && ia >= 0 && ia < in->w) ? (int64_t)(row[ia * in->c] + offset) : 0;
            if (y_inside && ox1 >= 0 && ib >= 0 && ib < in->w) {
                x += (int64_t)((uint64_t)(int64_t)(row[ib * in->c] + offset) << 32);
            }
            packed[t] = x;
        }
    }
    const int32_t taps = t;
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c;
    int8_t *o2 = ox1 >= 0 ? o + out->c : 0;
    int32_t oc = oc_first;
    for (; oc + 8 <= oc_first + oc_count; oc += 8) {
        /* eight channels per pass over the packed taps: one load of each packed input feeds eight multiplies */
        const int8_t *wt = w + oc * oc_stride;
        const int32_t s1 = oc_stride;
        int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        for (int32_t k = 0; k < taps; k++, wt += tap_stride) {
            const int64_t x = packed[k];
            a0 += x * wt[0];
            a1 += x * wt[s1];
            a2 += x * wt[2 * s1];
            a3 += x * wt[3 * s1];
            a4 += x * wt[4 * s1];
            a5 += x * wt[5 * s1];
            a6 += x * wt[6 * s1];
            a7 += x * wt[7 * s1];
        }
        const int64_t acc[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
        for (int32_t j = 0; j < 8; j++) {
            em_store_pair(p, q, o + oc + j, o2 ? o2 + oc + j : 0, oc + j, acc[j]);
        }
    }
    for (; oc < oc_first + oc_count; oc += 4) {
        const int32_t count = oc_first + oc_count - oc < 4 ? oc_first + oc_count - oc : 4;
        const int32_t s1 = count > 1 ? oc_stride : 0, s2 = count > 2 ? 2 * oc_stride : 0, s3 = count > 3 ? 3 * oc_stride : 0;
        const int8_t *wt = w + oc * oc_stride;
        int64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int32_t k = 0; k < taps; k++, wt += tap_stride) {
            const int64_t x = packed[k];
            a0 += x * wt[0];
            a1 += x * wt[s1];
            a2 += x * wt[s2];
            a3 += x * wt[s3];
        }
        em_store_pair(p, q, o + oc, o2 ? o2 + oc : 0, oc, a0);
        if (count > 1) em_store_pair(p, q, o + oc + 1, o2 ? o2 + oc + 1 : 0, oc + 1, a1);
        if (count > 2) em_store_pair(p, q, o + oc + 2, o2 ? o2 + oc + 2 : 0, oc + 2, a2);
        if (count > 3) em_store_pair(p, q, o + oc + 3, o2 ? o2 + oc + 3 : 0, oc + 3, a3);
    }
}

#if defined(__ARM_FEATURE_DSP)
/* Cortex-M4/M7 DSP extension paths (ACLE intrinsics: SXTB16 widens bytes 0 and 2 into int16 lanes, SMLAD adds both lane products). */
#include <arm_acle.h>
#include <string.h>

/* Largest depthwise filter (taps x channels) the one-channel DSP path transposes on the stack. */
#define EM_DSP_TRANSPOSED_BYTES 1024

/* Rotate right by 8 (SXTB16 then takes bytes 1 and 3; the compiler folds it into SXTB16's rotation). */
static inline uint32_t em_ror8(uint32_t v) { return (v >> 8) | (v << 24); }

/* Four int8 at any address as one word (the Cortex-M4 loads unaligned words in one instruction). */
static inline uint32_t em_load4(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/*
 * One input channel (the spectrogram layers: micro_speech's depthwise, ds_cnn_s's first convolution) for a pair
 * of output positions, with the DSP extension: the window's inputs (offset added, zero in the padding) are packed once per pair as int16
 * lanes in the order SXTB16 unpacks four consecutive weights (taps 0 and 2, then 1 and 3 of each group of four),
 * then each output channel takes two SMLAD per four taps and position. Needs taps % 4 == 0 and
 * taps <= EM_MAX_PACKED_TAPS; weights [out->c][kh * kw] (a depthwise filter is transposed into that by the caller);
 * exact like every other path.
 */
static inline void em_single_channel_pair_dsp(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                                              int32_t kh, int32_t kw, const int8_t *filter, const em_dims *out, int8_t *output,
                                              int32_t b, int32_t oy, int32_t ox0, int32_t ox1, int32_t offset)
{
    int16_t xa[EM_MAX_PACKED_TAPS], xb[EM_MAX_PACKED_TAPS];
    uint32_t even_a[EM_MAX_PACKED_TAPS / 4], odd_a[EM_MAX_PACKED_TAPS / 4], even_b[EM_MAX_PACKED_TAPS / 4], odd_b[EM_MAX_PACKED_TAPS / 4];
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w, ixb0 = ixa0 + p->stride_w;
    int32_t t = 0;
    for (int32_t ky = 0; ky < kh; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        const int y_inside = iy >= 0 && iy < in->h;
        const int8_t *row = input + (b * in->h + iy) * in->w; /* one channel: a row is in->w bytes */
        for (int32_t kx = 0; kx < kw; kx++, t++) {
            const int32_t ia = ixa0 + p->dilation_w * kx, ib = ixb0 + p->dilation_w * kx;
            xa[t] = (int16_t)((y_inside && ia >= 0 && ia < in->w) ? row[ia] + offset : 0);
            xb[t] = (int16_t)((y_inside && ox1 >= 0 && ib >= 0 && ib < in->w) ? row[ib] + offset : 0);
        }
    }
    const int32_t groups = t / 4;
    for (int32_t g = 0; g < groups; g++) {
        const int16_t *a = xa + 4 * g, *c = xb + 4 * g;
        even_a[g] = (uint16_t)a[0] | ((uint32_t)(uint16_t)a[2] << 16);
        odd_a[g] = (uint16_t)a[1] | ((uint32_t)(uint16_t)a[3] << 16);
        even_b[g] = (uint16_t)c[0] | ((uint32_t)(uint16_t)c[2] << 16);
        odd_b[g] = (uint16_t)c[1] | ((uint32_t)(uint16_t)c[3] << 16);
    }
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c;
    int8_t *o2 = ox1 >= 0 ? o + out->c : 0;
    for (int32_t oc = 0; oc < out->c; oc++) {
        const int8_t *w = filter + oc * t;
        int32_t acc_a = 0, acc_b = 0;
        for (int32_t g = 0; g < groups; g++) {
            const uint32_t w4 = em_load4(w + 4 * g), we = __sxtb16(w4), wo = __sxtb16(em_ror8(w4));
            acc_a = __smlad(odd_a[g], wo, __smlad(even_a[g], we, acc_a));
            acc_b = __smlad(odd_b[g], wo, __smlad(even_b[g], we, acc_b));
        }
        o[oc] = em_requantize(acc_a, q, oc, p->output_offset, p->act_min, p->act_max);
        if (o2) {
            o2[oc] = em_requantize(acc_b, q, oc, p->output_offset, p->act_min, p->act_max);
        }
    }
}
#endif

#endif
