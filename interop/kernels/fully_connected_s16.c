/*
 * FULLY_CONNECTED with int16 input and output and int8 weights (TFLM's 16x8 reference_integer_ops::
 * FullyConnected / FullyConnectedPerChannel): no offsets (zero points 0), the accumulator chosen as in
 * conv_s16.c.
 */
#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_s16.h"

em_status em_fully_connected_s16(const em_fc_s16_params *p, const em_requant *q, int32_t batches, int32_t depth, int32_t out_depth,
                                 const int16_t *input, const int8_t *weights, int16_t *output)
{
    if (!p || !q || !q->multipliers || !q->shifts || !input || !weights || !output) {
        return EM_ERR_NULL;
    }
    if (batches < 0 || depth < 1 || out_depth < 1 || (p->multiplier_count != 1 && p->multiplier_count != out_depth)) {
        return EM_ERR_SHAPE;
    }
    if (p->accumulator_bits != 32 && p->accumulator_bits != 64) {
        return EM_ERR_PARAMS;
    }
    for (int32_t b = 0; b < batches; b++) {
        const int16_t *x = input + b * depth;
        for (int32_t oc = 0; oc < out_depth; oc++) {
            const int8_t *w = weights + oc * depth;
            int64_t acc = 0;
            for (int32_t d = 0; d < depth; d++) {
                acc += w[d] * x[d];
            }
            output[b * out_depth + oc] = em_s16_requantize(acc, p->accumulator_bits, q, oc, p->multiplier_count == 1 ? 0 : oc,
                                                           p->act_min, p->act_max);
        }
    }
    return EM_OK;
}
