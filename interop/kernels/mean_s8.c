/* MEAN over height and width, int8 or int16 (TFLM reference_integer_ops::Mean, one template for both widths). */
#include "edge_micro.h"
#include "fixed_point.h"

static em_status mean(const em_mean_params *p, const em_dims *in, const void *input, void *output, int wide)
{
    if (!p || !in || !input || !output) {
        return EM_ERR_NULL;
    }
    const int32_t count = in->h * in->w;
    if (count < 1) {
        return EM_ERR_SHAPE;
    }
    const int32_t lowest = wide ? -32768 : -128, highest = wide ? 32767 : 127;
    for (int32_t b = 0; b < in->n; b++) {
        for (int32_t c = 0; c < in->c; c++) {
            int32_t acc = 0;
            for (int32_t i = 0; i < count; i++) {
                const int32_t at = (b * count + i) * in->c + c;
                acc = em_wrap_add(acc, (wide ? ((const int16_t *)input)[at] : ((const int8_t *)input)[at]) + p->input_offset);
            }
            acc = em_mbqm(acc, p->multiplier, p->shift);
            acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
            acc = em_clamp(acc + p->output_offset, lowest, highest);
            if (wide) {
                ((int16_t *)output)[b * in->c + c] = (int16_t)acc;
            } else {
                ((int8_t *)output)[b * in->c + c] = (int8_t)acc;
            }
        }
    }
    return EM_OK;
}

em_status em_mean_s8(const em_mean_params *p, const em_dims *in, const int8_t *input, int8_t *output)
{
    return mean(p, in, input, output, 0);
}

em_status em_mean_s16(const em_mean_params *p, const em_dims *in, const int16_t *input, int16_t *output)
{
    return mean(p, in, input, output, 1);
}
