/*
 * SOFTMAX, int8 in; int8 out (scale 1/256, zero point -128) or int16 out (scale 1/65536, zero point -32768):
 * TFLM reference_ops::Softmax<int8_t, OutputT> with gemmlowp exp. The two outputs differ only in the final
 * shift (31 - 8 or 31 - 16 bits below the unit) and the range.
 */
#include "edge_micro.h"
#include "fixed_point.h"

#define SCALED_DIFF_INTEGER_BITS 5
#define ACCUMULATION_INTEGER_BITS 12
#define MAX_DEPTH 256

static em_status softmax(const em_softmax_params *p, int32_t rows, int32_t depth, const int8_t *input, int8_t *output8,
                         int16_t *output16)
{
    const int32_t output_bits = output16 ? 16 : 8;
    const int32_t output_min = output16 ? -32768 : -128, output_max = output16 ? 32767 : 127;
    int8_t *output = output8;
    if (!p || !input || (!output8 && !output16)) {
        return EM_ERR_NULL;
    }
    if (rows < 0 || depth < 1 || depth > MAX_DEPTH) {
        return EM_ERR_SHAPE;
    }
    if (p->input_multiplier <= 0 || p->input_left_shift < 0 || p->input_left_shift > 31 || p->diff_min > 0) {
        return EM_ERR_PARAMS;
    }
    for (int32_t r = 0; r < rows; r++) {
        const int8_t *in = input + r * depth;
        int32_t max = -128;
        for (int32_t c = 0; c < depth; c++) {
            max = in[c] > max ? in[c] : max;
        }
        int32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = in[c] - max;
            if (diff >= p->diff_min) {
                const int32_t scaled = em_srdhm(em_shl(diff, p->input_left_shift), p->input_multiplier);
                sum = em_wrap_add(sum, em_srmbpot(em_exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS), -ACCUMULATION_INTEGER_BITS));
            }
        }
        const int32_t headroom = em_count_leading_zeros((uint32_t)sum);
        const int32_t bits_over_unit = ACCUMULATION_INTEGER_BITS - headroom;
        const int32_t shifted_scale = em_one_over_one_plus_x((int32_t)(((uint32_t)sum << headroom) - (1u << 31)));
        for (int32_t c = 0; c < depth; c++) {
            const int32_t diff = in[c] - max;
            int32_t result = output_min;
            if (diff >= p->diff_min) {
                const int32_t scaled = em_srdhm(em_shl(diff, p->input_left_shift), p->input_multiplier);
                const int32_t e = em_exp_on_negative_values(scaled, SCALED_DIFF_INTEGER_BITS);
                result = em_clamp(em_rdbpot(em_srdhm(shifted_scale, e), bits_over_unit + 31 - output_bits) + output_min, output_min,
                                  output_max);
            }
            if (output16) {
                output16[r * depth + c] = (int16_t)result;
            } else {
                output[r * depth + c] = (int8_t)result;
            }
        }
    }
    return EM_OK;
}

em_status em_softmax_s8(const em_softmax_params *p, int32_t rows, int32_t depth, const int8_t *input, int8_t *output)
{
    return softmax(p, rows, depth, input, output, NULL);
}

em_status em_softmax_s8_s16(const em_softmax_params *p, int32_t rows, int32_t depth, const int8_t *input, int16_t *output)
{
    return softmax(p, rows, depth, input, NULL, output);
}
