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

/* bias + requantize + offset + clamp for output channel c. */
static inline int8_t em_requantize(int32_t acc, const em_requant *q, int32_t c, int32_t output_offset, int32_t act_min,
                                   int32_t act_max)
{
    if (q->bias) {
        acc = em_wrap_add(acc, q->bias[c]);
    }
    acc = em_mbqm(acc, q->multipliers[c], q->shifts[c]) + output_offset;
    return (int8_t)em_clamp(acc, act_min, act_max);
}

/* Splits a packed accumulator x0_sum + x1_sum * 2^32 into its two int32 sums. */
static inline void em_unpack(int64_t acc, int32_t *lo, int32_t *hi)
{
    *lo = (int32_t)(uint32_t)(uint64_t)acc;
    *hi = (int32_t)((acc - (int64_t)*lo) / ((int64_t)1 << 32));
}

#endif
