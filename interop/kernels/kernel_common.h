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

#endif
