/*
 * ADD, int8 or int16, inputs of different scales, 4-D broadcasting (TFLM's reference Add; left_shift is 20 for
 * int8, 15 for int16). One loop for both widths, like pooling_s8.c.
 */
#include "edge_micro.h"
#include "fixed_point.h"

static int32_t broadcast_index(const em_dims *d, int32_t i0, int32_t i1, int32_t i2, int32_t i3)
{
    return (((d->n == 1 ? 0 : i0) * d->h + (d->h == 1 ? 0 : i1)) * d->w + (d->w == 1 ? 0 : i2)) * d->c + (d->c == 1 ? 0 : i3);
}

static int broadcasts(const em_dims *in, const em_dims *out)
{
    return (in->n == 1 || in->n == out->n) && (in->h == 1 || in->h == out->h) && (in->w == 1 || in->w == out->w) &&
           (in->c == 1 || in->c == out->c);
}

static int32_t load(const void *data, int32_t i, int wide) { return wide ? ((const int16_t *)data)[i] : ((const int8_t *)data)[i]; }

static em_status add(const em_add_params *p, const em_dims *ad, const void *a, const em_dims *bd, const void *b, const em_dims *od,
                     void *output, int wide)
{
    if (!p || !ad || !a || !bd || !b || !od || !output) {
        return EM_ERR_NULL;
    }
    if (!broadcasts(ad, od) || !broadcasts(bd, od)) {
        return EM_ERR_SHAPE;
    }
    if (p->left_shift < 0 || p->left_shift > 20 || p->input1_shift > 0 || p->input2_shift > 0 || p->output_shift > 0 ||
        p->input1_shift < -31 || p->input2_shift < -31 || p->output_shift < -31) {
        return EM_ERR_PARAMS;
    }
    int32_t index = 0;
    for (int32_t i0 = 0; i0 < od->n; i0++) {
        for (int32_t i1 = 0; i1 < od->h; i1++) {
            for (int32_t i2 = 0; i2 < od->w; i2++) {
                for (int32_t i3 = 0; i3 < od->c; i3++) {
                    const int32_t x = load(a, broadcast_index(ad, i0, i1, i2, i3), wide) + p->input1_offset;
                    const int32_t y = load(b, broadcast_index(bd, i0, i1, i2, i3), wide) + p->input2_offset;
                    const int32_t sx = em_rdbpot(em_srdhm(em_shl(x, p->left_shift), p->input1_multiplier), -p->input1_shift);
                    const int32_t sy = em_rdbpot(em_srdhm(em_shl(y, p->left_shift), p->input2_multiplier), -p->input2_shift);
                    const int32_t sum = em_rdbpot(em_srdhm(em_wrap_add(sx, sy), p->output_multiplier), -p->output_shift) + p->output_offset;
                    const int32_t v = em_clamp(sum, p->act_min, p->act_max);
                    if (wide) {
                        ((int16_t *)output)[index++] = (int16_t)v;
                    } else {
                        ((int8_t *)output)[index++] = (int8_t)v;
                    }
                }
            }
        }
    }
    return EM_OK;
}

em_status em_add_s8(const em_add_params *p, const em_dims *ad, const int8_t *a, const em_dims *bd, const int8_t *b,
                    const em_dims *od, int8_t *output)
{
    return add(p, ad, a, bd, b, od, output, 0);
}

em_status em_add_s16(const em_add_params *p, const em_dims *ad, const int16_t *a, const em_dims *bd, const int16_t *b,
                     const em_dims *od, int16_t *output)
{
    return add(p, ad, a, bd, b, od, output, 1);
}
