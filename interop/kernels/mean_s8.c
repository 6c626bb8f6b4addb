/* MEAN over height and width, int8 (TFLM reference_integer_ops::Mean). */
#include "edge_micro.h"
#include "fixed_point.h"

em_status em_mean_s8(const em_mean_params *p, const em_dims *in, const int8_t *input, int8_t *output)
{
    if (!p || !in || !input || !output) {
        return EM_ERR_NULL;
    }
    const int32_t count = in->h * in->w;
    if (count < 1) {
        return EM_ERR_SHAPE;
    }
    for (int32_t b = 0; b < in->n; b++) {
        for (int32_t c = 0; c < in->c; c++) {
            int32_t acc = 0;
            for (int32_t i = 0; i < count; i++) {
                acc = em_wrap_add(acc, input[(b * count + i) * in->c + c] + p->input_offset);
            }
            acc = em_mbqm(acc, p->multiplier, p->shift);
            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
            output[b * in->c + c] = (int8_t)em_clamp(acc + p->output_offset, -128, 127);
        }
    }
    return EM_OK;
}
