/*
 * FULLY_CONNECTED, int8 (TFLM reference_integer_ops::FullyConnected). The converter folds the input
 * offset into the bias (bias_folded = 1), so the fast variant is a plain int8 dot product, four output
 * channels per pass over the input.
 */
#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_common.h"

static int8_t fc_requantize(const em_fc_params *p, const em_requant *q, int32_t acc, int32_t oc)
{
    const int32_t qc = p->multiplier_count == 1 ? 0 : oc;
    if (q->bias) {
        acc = em_wrap_add(acc, q->bias[oc]);
    }
    acc = em_mbqm(acc, q->multipliers[qc], q->shifts[qc]) + p->output_offset;
    return (int8_t)em_clamp(acc, p->act_min, p->act_max);
}

static em_status fc_check(const em_fc_params *p, const em_requant *q, int32_t batches, int32_t depth, int32_t out_depth,
                          const int8_t *input, const int8_t *weights, int8_t *output)
{
    if (!p || !q || !q->multipliers || !q->shifts || !input || !weights || !output) {
        return EM_ERR_NULL;
    }
    if (batches < 0 || depth < 1 || out_depth < 1 || (p->multiplier_count != 1 && p->multiplier_count != out_depth)) {
        return EM_ERR_SHAPE;
    }
    return EM_OK;
}

em_status em_fully_connected_s8_reference(const em_fc_params *p, const em_requant *q, int32_t batches, int32_t depth,
                                          int32_t out_depth, const int8_t *input, const int8_t *weights, int8_t *output)
{
    em_status s = fc_check(p, q, batches, depth, out_depth, input, weights, output);
    if (s != EM_OK) {
        return s;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *x = input + b * depth;
        for (int32_t oc = 0; oc < out_depth; oc++) {
            const int8_t *w = weights + oc * depth;
            int32_t acc = 0;
            for (int32_t d = 0; d < depth; d++) {
                acc = em_wrap_add(acc, w[d] * (x[d] + input_offset));
            }
            output[b * out_depth + oc] = fc_requantize(p, q, acc, oc);
        }
    }
    return EM_OK;
}

em_status em_fully_connected_s8(const em_fc_params *p, const em_requant *q, int32_t batches, int32_t depth,
                                int32_t out_depth, const int8_t *input, const int8_t *weights, int8_t *output)
{
    em_status s = fc_check(p, q, batches, depth, out_depth, input, weights, output);
    if (s != EM_OK) {
        return s;
    }
    if (!p->bias_folded && p->input_offset != 0) {
        return em_fully_connected_s8_reference(p, q, batches, depth, out_depth, input, weights, output);
    }
    for (int32_t b = 0; b < batches; b++) {
        const int8_t *x = input + b * depth;
        int32_t oc = 0;
        for (; oc + 4 <= out_depth; oc += 4) {
            const int8_t *w0 = weights + oc * depth;
            const int8_t *w1 = w0 + depth;
            const int8_t *w2 = w1 + depth;
            const int8_t *w3 = w2 + depth;
            /* unsigned sums: int32 wrap-around, as the reference, without undefined behaviour */
            uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (int32_t d = 0; d < depth; d++) {
                const int32_t v = x[d];
                a0 += (uint32_t)(v * w0[d]);
                a1 += (uint32_t)(v * w1[d]);
                a2 += (uint32_t)(v * w2[d]);
                a3 += (uint32_t)(v * w3[d]);
            }
            output[b * out_depth + oc] = fc_requantize(p, q, (int32_t)a0, oc);
            output[b * out_depth + oc + 1] = fc_requantize(p, q, (int32_t)a1, oc + 1);
            output[b * out_depth + oc + 2] = fc_requantize(p, q, (int32_t)a2, oc + 2);
            output[b * out_depth + oc + 3] = fc_requantize(p, q, (int32_t)a3, oc + 3);
        }
        for (; oc < out_depth; oc++) {
            const int8_t *w = weights + oc * depth;
            uint32_t acc = 0;
            for (int32_t d = 0; d < depth; d++) {
                acc += (uint32_t)(x[d] * w[d]);
            }
            output[b * out_depth + oc] = fc_requantize(p, q, (int32_t)acc, oc);
        }
    }
    return EM_OK;
}
