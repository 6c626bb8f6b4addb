/*
 * SVDF with int8 input and output and an int8 or int16 activation state (TFLM's EvalIntegerSvdfReference,
 * svdf_common.cc at the corpus commit). The converter folds the input zero point into feature_offsets and
 * the state zero point into bias, so both steps are plain dot products. No scratch: each unit's time-step
 * sum is reduced in a register instead of TFLM's two int32 scratch buffers (the same int32 sum, wrapping).
 */
#include <string.h>

#include "edge_micro.h"
#include "fixed_point.h"

static em_status svdf_check(const em_svdf_params *p, const em_svdf_shape *s, const int32_t *feature_offsets,
                            const int32_t *bias, const int8_t *input, const int8_t *weights_feature,
                            const void *weights_time, void *state, int8_t *output)
{
    if (!p || !s || !feature_offsets || !bias || !input || !weights_feature || !weights_time || !state || !output) {
        return EM_ERR_NULL;
    }
    if (s->batches < 1 || s->input_size < 1 || s->filters < 1 || s->memory < 1 || p->rank < 1 || s->filters % p->rank != 0) {
        return EM_ERR_SHAPE;
    }
    if (p->feature_shift < -31 || p->feature_shift > 30 || p->output_shift < -31 || p->output_shift > 30) {
        return EM_ERR_PARAMS;
    }
    return EM_OK;
}

/* Feature step of one filter: the requantized dot product, clamped to the state type, then the zero point. */
static int32_t svdf_feature(const em_svdf_params *p, int32_t acc, const int8_t *w, const int8_t *x, int32_t n,
                            int32_t state_min, int32_t state_max)
{
    for (int32_t d = 0; d < n; d++) {
        acc = em_wrap_add(acc, w[d] * x[d]);
    }
    acc = em_clamp(em_mbqm(acc, p->feature_multiplier, p->feature_shift), state_min, state_max);
    /* TFLM adds the zero point after the clamp and narrows: the value is stored modulo the type's width. */
    return acc + p->state_zero_point;
}

static int8_t svdf_output(const em_svdf_params *p, int32_t acc)
{
    return (int8_t)em_clamp(em_mbqm(acc, p->output_multiplier, p->output_shift) + p->output_zero_point, -128, 127);
}

/*
 * One SVDF inference for a state type T (int8_t or int16_t; UT its unsigned twin for the modulo store). The
 * state moves one element left, the feature step writes each filter's newest time step, the time step
 * reduces each unit's rank x memory products in a register.
 */
#define EM_SVDF_BODY(T, UT, STATE_MIN, STATE_MAX)                                                                  \
    do {                                                                                                       \
        em_status st = svdf_check(p, s, feature_offsets, bias, input, weights_feature, weights_time, state, output); \
        if (st != EM_OK) {                                                                                     \
            return st;                                                                                         \
        }                                                                                                      \
        const int32_t memory = s->memory, rank = p->rank, units = s->filters / p->rank;                      \
        const int32_t per_batch = s->filters * memory;                                                         \
        memmove(state, state + 1, (size_t)(s->batches * per_batch - 1) * sizeof(T));                           \
        for (int32_t b = 0; b < s->batches; b++) {                                                             \
            T *sb = state + b * per_batch;                                                                     \
            const int8_t *x = input + b * s->input_size;                                                       \
            for (int32_t f = 0; f < s->filters; f++) {                                                         \
                int32_t v = svdf_feature(p, feature_offsets[f], weights_feature + f * s->input_size, x, s->input_size, \
                                         STATE_MIN, STATE_MAX);                                                \
                sb[f * memory + memory - 1] = (T)(UT)(uint32_t)v;                                              \
            }                                                                                                  \
            for (int32_t u = 0; u < units; u++) {                                                              \
                int32_t acc = bias[u];                                                                         \
                const T *wt = weights_time + u * rank * memory;                                                \
                const T *su = sb + u * rank * memory;                                                          \
                for (int32_t j = 0; j < rank * memory; j++) {                                                  \
                    acc = em_wrap_add(acc, wt[j] * su[j]);                                                     \
                }                                                                                              \
                output[b * units + u] = svdf_output(p, acc);                                                   \
            }                                                                                                  \
        }                                                                                                      \
        return EM_OK;                                                                                          \
    } while (0)

em_status em_svdf_s8(const em_svdf_params *p, const em_svdf_shape *s, const int32_t *feature_offsets, const int32_t *bias,
                     const int8_t *input, const int8_t *weights_feature, const int8_t *weights_time, int8_t *state,
                     int8_t *output)
{
    EM_SVDF_BODY(int8_t, uint8_t, -128, 127);
}

em_status em_svdf_s8_state16(const em_svdf_params *p, const em_svdf_shape *s, const int32_t *feature_offsets,
                             const int32_t *bias, const int8_t *input, const int8_t *weights_feature,
                             const int16_t *weights_time, int16_t *state, int8_t *output)
{
    EM_SVDF_BODY(int16_t, uint16_t, -32768, 32767);
}
