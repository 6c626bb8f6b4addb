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

/* Forced inlining for the hot helpers, except in builds for size (-Os), where the compiler decides. */
#if defined(__GNUC__) && !defined(__OPTIMIZE_SIZE__)
#define EM_INLINE static inline __attribute__((always_inline))
#else
#define EM_INLINE static inline
#endif

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
        acc = em_rdbpot(em_doubling_high_mul(acc, q->multipliers[c]), -shift);
    }
    return (int8_t)em_clamp(acc + output_offset, act_min, act_max);
}

/* em_requantize of two sums of channel c (two positions): the channel's bias, multiplier and shift read once, and
   inlined where it is used (on the 32-bit cores a call per output costs about as much as the arithmetic). The
   second output is skipped when second is NULL. */
EM_INLINE void em_requantize_two(int32_t acc_a, int32_t acc_b, const em_requant *q, int32_t c, const em_conv_params *p,
                                 int8_t *first, int8_t *second)
{
    const int32_t shift = q->shifts[c], multiplier = q->multipliers[c];
    if (q->bias) {
        acc_a = em_wrap_add(acc_a, q->bias[c]);
        acc_b = em_wrap_add(acc_b, q->bias[c]);
    }
    if (shift > 0 || multiplier < 0) {
        acc_a = em_mbqm(acc_a, multiplier, shift);
        acc_b = em_mbqm(acc_b, multiplier, shift);
    } else {
        acc_a = em_rdbpot(em_doubling_high_mul(acc_a, multiplier), -shift);
        acc_b = em_rdbpot(em_doubling_high_mul(acc_b, multiplier), -shift);
    }
    *first = (int8_t)em_clamp(acc_a + p->output_offset, p->act_min, p->act_max);
    if (second) {
        *second = (int8_t)em_clamp(acc_b + p->output_offset, p->act_min, p->act_max);
    }
}

/* Channels whose sums the 32-bit targets' depthwise path collects before requantizing them in one run (a multiple of
   four). */
#define EM_REQUANT_RUN 64

/* em_requantize of n sums of consecutive channels c0, c0 + 1, ... into out[0..n): the parameter pointers and the
   output range read once for the run, so a 13-register core keeps them in registers. */
EM_INLINE void em_requantize_run(const uint32_t *sums, int32_t n, const em_requant *q, int32_t c0, const em_conv_params *p,
                                 int8_t *out)
{
    const int32_t *multipliers = q->multipliers + c0, *shifts = q->shifts + c0, *bias = q->bias ? q->bias + c0 : 0;
    const int32_t output_offset = p->output_offset, act_min = p->act_min, act_max = p->act_max;
    for (int32_t j = 0; j < n; j++) {
        int32_t acc = (int32_t)sums[j];
        if (bias) {
            acc = em_wrap_add(acc, bias[j]);
        }
        const int32_t shift = shifts[j], multiplier = multipliers[j];
        if (shift > 0 || multiplier < 0) {
            acc = em_mbqm(acc, multiplier, shift);
        } else {
            acc = em_rdbpot(em_doubling_high_mul(acc, multiplier), -shift);
        }
        out[j] = (int8_t)em_clamp(acc + output_offset, act_min, act_max);
    }
}

/* Splits a packed accumulator x0_sum + x1_sum * 2^32 into its two int32 sums. */
static inline void em_unpack(int64_t acc, int32_t *lo, int32_t *hi)
{
    *lo = (int32_t)(uint32_t)(uint64_t)acc;
    *hi = (int32_t)((acc - (int64_t)*lo) / ((int64_t)1 << 32));
}

/* Requantizes a packed pair accumulator into output positions ox and ox + 1 (second = NULL: ox only). */
EM_INLINE void em_store_pair(const em_conv_params *p, const em_requant *q, int8_t *first, int8_t *second, int32_t oc,
                                 int64_t acc)
{
    int32_t lo, hi;
    em_unpack(acc, &lo, &hi);
    em_requantize_two(lo, hi, q, oc, p, first, second);
}

/* Largest filter (KH x KW taps) whose packed inputs the single-channel path keeps on the stack. */
#define EM_MAX_PACKED_TAPS 128

/*
 * One tap's inputs of two output positions in one integer: x0 + x1 * 2^32 in an int64 where 64-bit products are cheap
 * (each 32-bit half of a product sum then accumulates one position exactly), x0 and x1 as the two int16 halves of a
 * word where they are not (EM_NARROW_MULTIPLY: the core's 16-bit multiply takes each half).
 */
#if EM_NARROW_MULTIPLY
typedef int32_t em_packed_pair;
static inline em_packed_pair em_pack_pair(int32_t x0, int32_t x1)
{
    return (int32_t)((uint32_t)(uint16_t)x0 | ((uint32_t)(uint16_t)x1 << 16));
}
#else
typedef int64_t em_packed_pair;
static inline em_packed_pair em_pack_pair(int32_t x0, int32_t x1)
{
    return (int64_t)x0 + (int64_t)((uint64_t)(int64_t)x1 << 32);
}
#endif

/*
 * Packs channel ic of the kh x kw window of output positions ox0 and ox1 (ox1 < 0: ox0 only) into one em_packed_pair
 * per tap, the input offset added and zero in the padding; returns the number of taps. Rows where both windows lie
 * inside the input take no checks per tap.
 */
static inline int32_t em_pack_window_pair(const em_conv_params *p, const em_dims *in, const int8_t *input, int32_t ic, int32_t kh,
                                          int32_t kw, int32_t b, int32_t oy, int32_t ox0, int32_t ox1, int32_t offset,
                                          em_packed_pair *packed)
{
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w, ixb0 = ixa0 + p->stride_w;
    const int32_t row_bytes = in->w * in->c;
    int32_t t = 0;
    for (int32_t ky = 0; ky < kh; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        const int y_inside = iy >= 0 && iy < in->h;
        const int8_t *row = input + (b * in->h + iy) * row_bytes + ic;
        if (y_inside && ox1 >= 0 && ixa0 >= 0 && ixb0 + p->dilation_w * (kw - 1) < in->w) {
            const int32_t step = p->dilation_w * in->c;
            const int8_t *ra = row + ixa0 * in->c, *rb = row + ixb0 * in->c;
            for (int32_t kx = 0; kx < kw; kx++, t++, ra += step, rb += step) {
                packed[t] = em_pack_pair(*ra + offset, *rb + offset);
            }
            continue;
        }
        for (int32_t kx = 0; kx < kw; kx++, t++) {
            const int32_t ia = ixa0 + p->dilation_w * kx, ib = ixb0 + p->dilation_w * kx;
            const int32_t xa = (y_inside && ia >= 0 && ia < in->w) ? row[ia * in->c] + offset : 0;
            const int32_t xb = (y_inside && ox1 >= 0 && ib >= 0 && ib < in->w) ? row[ib * in->c] + offset : 0;
            packed[t] = em_pack_pair(xa, xb);
        }
    }
    return t;
}

#if !EM_NARROW_MULTIPLY
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
    em_packed_pair packed[EM_MAX_PACKED_TAPS];
    const int32_t taps = em_pack_window_pair(p, in, input, ic, kh, kw, b, oy, ox0, ox1, offset, packed);
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

#if EM_NARROW_MULTIPLY
/*
 * The 32-bit inner product of the narrow paths: n steps of two positions (the low and high halves of words[k]) times
 * two weight streams (w0[k * stride], w1[k * stride]): sums = {a.w0, b.w0, a.w1, b.w1}, wrapping as TFLM's int32
 * accumulator. Four sums stay in registers on a 16-register core; each weight is loaded once for both positions.
 */
EM_INLINE void em_narrow_dot_2x2(const em_packed_pair *words, const int8_t *w0, const int8_t *w1, int32_t stride, int32_t n,
                                 uint32_t sums[4])
{
    uint32_t a0 = 0, b0 = 0, a1 = 0, b1 = 0;
    for (int32_t k = 0; k < n; k++, w0 += stride, w1 += stride) {
        const int32_t word = words[k];
        const int32_t x = (int16_t)word, y = (int16_t)(word >> 16);
        const int32_t v0 = *w0, v1 = *w1;
        a0 += (uint32_t)(x * v0), b0 += (uint32_t)(y * v0);
        a1 += (uint32_t)(x * v1), b1 += (uint32_t)(y * v1);
    }
    sums[0] = a0, sums[1] = b0, sums[2] = a1, sums[3] = b1;
}

/*
 * em_single_channel_pair for cores without a fast 64-bit product (EM_NARROW_MULTIPLY): the window packed once (one
 * word per tap holding both positions' int16 inputs), then two output channels at a time through em_narrow_dot_2x2.
 * Same arguments and result as em_single_channel_pair.
 */
static inline void em_single_channel_pair_narrow(const em_conv_params *p, const em_requant *q, const em_dims *in,
                                                 const int8_t *input, int32_t ic, int32_t kh, int32_t kw, const int8_t *w,
                                                 int32_t tap_stride, int32_t oc_stride, const em_dims *out, int8_t *output,
                                                 int32_t b, int32_t oy, int32_t ox0, int32_t ox1, int32_t oc_first,
                                                 int32_t oc_count, int32_t offset)
{
    em_packed_pair words[EM_MAX_PACKED_TAPS];
    const int32_t taps = em_pack_window_pair(p, in, input, ic, kh, kw, b, oy, ox0, ox1, offset, words);
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c;
    int8_t *o2 = ox1 >= 0 ? o + out->c : 0;
    for (int32_t oc = oc_first; oc < oc_first + oc_count; oc += 2) {
        const int32_t count = oc_first + oc_count - oc < 2 ? 1 : 2;
        const int8_t *w0 = w + oc * oc_stride;
        uint32_t sums[4];
        em_narrow_dot_2x2(words, w0, count > 1 ? w0 + oc_stride : w0, tap_stride, taps, sums);
        for (int32_t j = 0; j < count; j++) {
            em_requantize_two((int32_t)sums[2 * j], (int32_t)sums[2 * j + 1], q, oc + j, p, o + oc + j, o2 ? o2 + oc + j : 0);
        }
    }
}
#endif

#if defined(__ARM_FEATURE_DSP)
/* Cortex-M4/M7 DSP extension paths (ACLE intrinsics: SXTB16 widens bytes 0 and 2 into int16 lanes, SMLAD adds both lane products). */
#include <arm_acle.h>
#include <string.h>

/* Largest depthwise filter (taps x channels) the one-channel DSP path transposes on the stack. */
#define EM_DSP_TRANSPOSED_BYTES 1024

/* Bytes 1 and 3 of v sign-extended into two int16 lanes: SXTB16 with its own rotation, one instruction (gcc 12 does
   not fold a separate rotate into __sxtb16, which costs one more per use). */
static inline uint32_t em_sxtb16_ror8(uint32_t v)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
    return r;
}

/* Two int16 lanes: lo in bits 0-15, hi in bits 16-31 (PKHBT). */
static inline uint32_t em_pack16(int32_t lo, int32_t hi) { return (uint32_t)(uint16_t)lo | ((uint32_t)hi << 16); }

/* Four int8 at any address as one word (the Cortex-M4 loads unaligned words in one instruction). */
static inline uint32_t em_load4(const int8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/*
 * One input channel (the spectrogram layers: micro_speech's depthwise, ds_cnn_s's first convolution) for a pair
 * of output positions, with the DSP extension: the window's inputs (offset added, zero in the padding) are packed
 * once per pair as int16 lanes in the order SXTB16 unpacks four consecutive weights (taps 0 and 2, then 1 and 3 of
 * each group of four; four words per group: position a's two, then b's), straight from the rows when both windows
 * lie inside the input, then each output channel takes two SMLAD per four taps and position. Needs taps % 4 == 0
 * and taps <= EM_MAX_PACKED_TAPS; weights [out->c][kh * kw] (a depthwise filter is transposed into that by the
 * caller); exact like every other path.
 */
static inline void em_single_channel_pair_dsp(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                                              int32_t kh, int32_t kw, const int8_t *filter, const em_dims *out, int8_t *output,
                                              int32_t b, int32_t oy, int32_t ox0, int32_t ox1, int32_t offset)
{
    int16_t xa[EM_MAX_PACKED_TAPS], xb[EM_MAX_PACKED_TAPS];
    uint32_t words[EM_MAX_PACKED_TAPS]; /* per group of four taps: even and odd lanes of position a, then of b */
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ixa0 = ox0 * p->stride_w - p->pad_w, ixb0 = ixa0 + p->stride_w;
    const int32_t taps = kh * kw, groups = taps / 4;
    if (ox1 >= 0 && kw % 4 == 0 && iy0 >= 0 && iy0 + p->dilation_h * (kh - 1) < in->h && ixa0 >= 0 &&
        ixb0 + p->dilation_w * (kw - 1) < in->w) {
        /* Both windows inside the input (most pairs): each group's words straight from the rows, the offset added
           to both lanes at once (SADD16), no checks per tap. */
        const uint32_t offsets = (uint32_t)(uint16_t)offset * 0x00010001u;
        const int32_t d = p->dilation_w;
        int32_t g = 0;
        for (int32_t ky = 0; ky < kh; ky++) {
            const int8_t *ra = input + (b * in->h + iy0 + p->dilation_h * ky) * in->w + ixa0;
            const int8_t *rb = ra + p->stride_w;
            for (int32_t kx = 0; kx < kw; kx += 4, g++, ra += 4 * d, rb += 4 * d) {
                words[4 * g] = __sadd16(em_pack16(ra[0], ra[2 * d]), offsets);
                words[4 * g + 1] = __sadd16(em_pack16(ra[d], ra[3 * d]), offsets);
                words[4 * g + 2] = __sadd16(em_pack16(rb[0], rb[2 * d]), offsets);
                words[4 * g + 3] = __sadd16(em_pack16(rb[d], rb[3 * d]), offsets);
            }
        }
    } else {
        int32_t t = 0;
        for (int32_t ky = 0; ky < kh; ky++) {
            const int32_t iy = iy0 + p->dilation_h * ky;
            const int y_inside = iy >= 0 && iy < in->h;
            const int8_t *row = input + (b * in->h + iy) * in->w; /* one channel: a row is in->w bytes */
            if (y_inside && ox1 >= 0 && ixa0 >= 0 && ixb0 + p->dilation_w * (kw - 1) < in->w) {
                /* both windows inside this row: no checks per tap */
                const int8_t *ra = row + ixa0, *rb = row + ixb0;
                for (int32_t kx = 0; kx < kw; kx++, t++, ra += p->dilation_w, rb += p->dilation_w) {
                    xa[t] = (int16_t)(*ra + offset);
                    xb[t] = (int16_t)(*rb + offset);
                }
                continue;
            }
            for (int32_t kx = 0; kx < kw; kx++, t++) {
                const int32_t ia = ixa0 + p->dilation_w * kx, ib = ixb0 + p->dilation_w * kx;
                xa[t] = (int16_t)((y_inside && ia >= 0 && ia < in->w) ? row[ia] + offset : 0);
                xb[t] = (int16_t)((y_inside && ox1 >= 0 && ib >= 0 && ib < in->w) ? row[ib] + offset : 0);
            }
        }
        for (int32_t g = 0; g < groups; g++) {
            const int16_t *a = xa + 4 * g, *c = xb + 4 * g;
            words[4 * g] = em_pack16(a[0], a[2]);
            words[4 * g + 1] = em_pack16(a[1], a[3]);
            words[4 * g + 2] = em_pack16(c[0], c[2]);
            words[4 * g + 3] = em_pack16(c[1], c[3]);
        }
    }
    int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c;
    int8_t *o2 = ox1 >= 0 ? o + out->c : 0;
    for (int32_t oc = 0; oc < out->c; oc += 2) {
        /* two output channels per pass over the packed words (the second repeats the first when out->c is odd) */
        const int8_t *w0 = filter + oc * taps, *w1 = oc + 1 < out->c ? w0 + taps : w0;
        int32_t a0 = 0, b0 = 0, a1 = 0, b1 = 0;
        const uint32_t *x = words;
        for (int32_t g = 0; g < groups; g++, x += 4) {
            const uint32_t v0 = em_load4(w0 + 4 * g), we0 = __sxtb16(v0), wo0 = em_sxtb16_ror8(v0);
            const uint32_t v1 = em_load4(w1 + 4 * g), we1 = __sxtb16(v1), wo1 = em_sxtb16_ror8(v1);
            a0 = __smlad(x[1], wo0, __smlad(x[0], we0, a0));
            b0 = __smlad(x[3], wo0, __smlad(x[2], we0, b0));
            a1 = __smlad(x[1], wo1, __smlad(x[0], we1, a1));
            b1 = __smlad(x[3], wo1, __smlad(x[2], we1, b1));
        }
        em_requantize_two(a0, b0, q, oc, p, o + oc, o2 ? o2 + oc : 0);
        if (oc + 1 < out->c) {
            em_requantize_two(a1, b1, q, oc + 1, p, o + oc + 1, o2 ? o2 + oc + 1 : 0);
        }
    }
}
#endif

#endif
