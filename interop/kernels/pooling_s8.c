/*
 * AVERAGE_POOL_2D and MAX_POOL_2D, int8 and int16 (TFLM reference_integer_ops::AveragePool / MaxPool, whose
 * two forms differ only in the element type). One loop for both types: the element accesses branch on the
 * width, which costs little beside the window loop and keeps one copy of the code in flash.
 */
#include "edge_micro.h"
#include "fixed_point.h"

static int32_t load(const void *data, int32_t i, int wide) { return wide ? ((const int16_t *)data)[i] : ((const int8_t *)data)[i]; }

static void store(void *data, int32_t i, int32_t v, int wide)
{
    if (wide) {
        ((int16_t *)data)[i] = (int16_t)v;
    } else {
        ((int8_t *)data)[i] = (int8_t)v;
    }
}

static em_status pool(const em_pool_params *p, const em_dims *in, const void *input, const em_dims *out, void *output, int average,
                      int wide)
{
    if (!p || !in || !input || !out || !output) {
        return EM_ERR_NULL;
    }
    if (p->stride_w < 1 || p->stride_h < 1 || p->filter_w < 1 || p->filter_h < 1 || p->pad_w < 0 || p->pad_h < 0) {
        return EM_ERR_PARAMS;
    }
    if (in->n != out->n || in->c != out->c) {
        return EM_ERR_SHAPE;
    }
    const int32_t depth = in->c, lowest = wide ? -32768 : -128;
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            const int32_t y_start = iy0 < 0 ? -iy0 : 0;
            const int32_t y_end = in->h - iy0 < p->filter_h ? in->h - iy0 : p->filter_h;
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t ix0 = ox * p->stride_w - p->pad_w;
                const int32_t x_start = ix0 < 0 ? -ix0 : 0;
                const int32_t x_end = in->w - ix0 < p->filter_w ? in->w - ix0 : p->filter_w;
                for (int32_t c = 0; c < depth; c++) {
                    int32_t acc = average ? 0 : lowest;
                    int32_t count = 0;
                    for (int32_t fy = y_start; fy < y_end; fy++) {
                        const int32_t row = ((b * in->h + iy0 + fy) * in->w + ix0) * depth + c;
                        for (int32_t fx = x_start; fx < x_end; fx++) {
                            const int32_t v = load(input, row + fx * depth, wide);
                            if (average) {
                                acc += v;
                            } else if (v > acc) {
                                acc = v;
                            }
                            count++;
                        }
                    }
                    if (average) {
                        acc = count == 0 ? 0 : (acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count);
                    }
                    store(output, ((b * out->h + oy) * out->w + ox) * depth + c, em_clamp(acc, p->act_min, p->act_max), wide);
                }
            }
        }
    }
    return EM_OK;
}

em_status em_avg_pool_s8(const em_pool_params *p, const em_dims *in, const int8_t *input, const em_dims *out, int8_t *output)
{
    return pool(p, in, input, out, output, 1, 0);
}

em_status em_max_pool_s8(const em_pool_params *p, const em_dims *in, const int8_t *input, const em_dims *out, int8_t *output)
{
    return pool(p, in, input, out, output, 0, 0);
}

em_status em_avg_pool_s16(const em_pool_params *p, const em_dims *in, const int16_t *input, const em_dims *out, int16_t *output)
{
    return pool(p, in, input, out, output, 1, 1);
}

em_status em_max_pool_s16(const em_pool_params *p, const em_dims *in, const int16_t *input, const em_dims *out, int16_t *output)
{
    return pool(p, in, input, out, output, 0, 1);
}
