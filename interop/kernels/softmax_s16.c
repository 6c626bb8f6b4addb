/*
 * SOFTMAX int16 -> int16 (scale 1/32768, zero point 0): TFLM's reference_ops::SoftmaxInt16. exp and 1/(1+x)
 * come from the converter's 513-entry tables (int16, interpolated on the low 7 bits of the index); the output
 * row holds the exps until the reciprocal of their sum is known, as in TFLM.
 */
#include "edge_micro.h"
#include "fixed_point.h"

/* TFLM's generic_int16_table_lookup. */
static int16_t table_lookup(const int16_t *table, int16_t value)
{
    const int32_t index = 256 + (value >> 7);
    const int32_t offset = value & 0x7F;
    const int16_t base = table[index];
    const int16_t slope = (int16_t)(table[index + 1] - base);
    return (int16_t)(base + ((slope * offset + 64) >> 7));
}

em_status em_softmax_s16(const em_softmax_s16_params *p, const int16_t *exp_table, const int16_t *reciprocal_table, int32_t rows,
                         int32_t depth, const int16_t *input, int16_t *output)
{
    if (!p || !exp_table || !reciprocal_table || !input || !output) {
        return EM_ERR_NULL;
    }
    if (rows < 0 || depth < 1 || depth > 0xFFFF) {
        return EM_ERR_SHAPE;
    }
    for (int32_t r = 0; r < rows; r++) {
        const int16_t *x = input + r * depth;
        int16_t *y = output + r * depth;
        int32_t max = -32768;
        for (int32_t c = 0; c < depth; c++) {
            max = x[c] > max ? x[c] : max;
        }
        int32_t sum = 0;
        for (int32_t c = 0; c < depth; c++) {
            const int32_t scaled = em_mbqm(x[c] - max, p->input_multiplier, p->input_shift);
            y[c] = table_lookup(exp_table, (int16_t)em_clamp(scaled + 32767, -32768, 32767));
            sum += y[c];
        }
        /* TFLM's exp table is positive, so the row's largest input alone adds about 32767. Only a damaged table
         * gives a sum below 2; it is taken as 2 so that both shifts below stay defined (managed: SoftmaxS16.cs). */
        if (sum < 2) {
            sum = 2;
        }
        const int32_t headroom_plus_one = em_count_leading_zeros((uint32_t)sum);
        const int32_t shifted_sum = (int32_t)((((int64_t)sum << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
        const int16_t reciprocal =
            table_lookup(reciprocal_table, (int16_t)em_clamp(shifted_sum - ((1 << 15) + (1 << 16)), -32768, 32767));
        const int32_t right_shift = 31 - headroom_plus_one;
        const int64_t round = (int64_t)1 << (right_shift - 1);
        for (int32_t c = 0; c < depth; c++) {
            const int32_t v = (int32_t)(((int64_t)y[c] * reciprocal + round) >> right_shift);
            y[c] = (int16_t)em_clamp(v, 0, 32767);
        }
    }
    return EM_OK;
}
