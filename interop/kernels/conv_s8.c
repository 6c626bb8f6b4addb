/*
 * CONV_2D, int8 (TFLM reference_integer_ops::ConvPerChannel).
 *
 * em_conv_s8_reference is the plain loop, kept as the specification. em_conv_s8 is the fast variant the
 * runner uses: it computes two horizontally adjacent output positions with one multiply per weight by
 * packing both input values into one 64-bit integer (x0 + x1 * 2^32). The low half of the 64-bit
 * accumulator is then exactly the first position's int32 sum and the high half the second's, because each
 * sum fits in 32 bits. Four output channels share each packed input. The result is bit-identical to the
 * reference (tests/kernel_variant_test.cc).
 */
#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_common.h"

em_status em_conv_s8_reference(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                               const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    if (f->c != in->c || f->n != out->c || in->n != out->n) {
        return EM_ERR_SHAPE;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            const int32_t in_y0 = oy * p->stride_h - p->pad_h;
            for (int32_t ox = 0; ox < out->w; ox++) {
                const int32_t in_x0 = ox * p->stride_w - p->pad_w;
                for (int32_t oc = 0; oc < out->c; oc++) {
                    int32_t acc = 0;
                    for (int32_t ky = 0; ky < f->h; ky++) {
                        const int32_t iy = in_y0 + p->dilation_h * ky;
                        if (iy < 0 || iy >= in->h) {
                            continue;
                        }
                        for (int32_t kx = 0; kx < f->w; kx++) {
                            const int32_t ix = in_x0 + p->dilation_w * kx;
                            if (ix < 0 || ix >= in->w) {
                                continue;
                            }
                            const int8_t *x = input + ((b * in->h + iy) * in->w + ix) * in->c;
                            const int8_t *w = filter + ((oc * f->h + ky) * f->w + kx) * f->c;
                            for (int32_t ic = 0; ic < in->c; ic++) {
                                acc = em_wrap_add(acc, w[ic] * (x[ic] + input_offset));
                            }
                        }
                    }
                    output[((b * out->h + oy) * out->w + ox) * out->c + oc] = em_requantize(acc, q, oc, p->output_offset, p->act_min, p->act_max);
                }
            }
        }
    }
    return EM_OK;
}

size_t em_conv_s8_scratch_size(const em_conv_params *p, const em_dims *input, const em_dims *filter, const em_dims *output)
{
    (void)p;
    (void)input;
    (void)filter;
    (void)output;
    return 0; /* both variants work in registers */
}

/* Input value at (iy, ix, ic) plus the offset, or 0 in the padding (TFLM skips padded positions). */
static inline int64_t tap(const int8_t *input, const em_dims *in, int32_t b, int32_t iy, int32_t ix, int32_t ic, int32_t offset)
{
    if (iy < 0 || iy >= in->h || ix < 0 || ix >= in->w) {
        return 0;
    }
    return (int64_t)(input[((b * in->h + iy) * in->w + ix) * in->c + ic] + offset);
}

/* One or two output positions (x1 < 0: only x0) for channels [oc, oc + count), count <= 4. */
static void conv_block(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                       const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output,
                       int32_t b, int32_t oy, int32_t ox0, int32_t ox1, int32_t oc, int32_t count, int32_t input_offset)
{
    int64_t acc[4] = {0, 0, 0, 0};
    const int32_t taps = f->h * f->w * f->c;
    const int8_t *w0 = filter + oc * taps;
    const int32_t iy0 = oy * p->stride_h - p->pad_h;
    const int32_t ix0 = ox0 * p->stride_w - p->pad_w;
    const int32_t ix1 = ox1 * p->stride_w - p->pad_w;
    for (int32_t ky = 0; ky < f->h; ky++) {
        const int32_t iy = iy0 + p->dilation_h * ky;
        if (iy < 0 || iy >= in->h) {
            continue;
        }
        for (int32_t kx = 0; kx < f->w; kx++) {
            const int32_t dx = p->dilation_w * kx;
            const int8_t *w = w0 + (ky * f->w + kx) * f->c;
            for (int32_t ic = 0; ic < f->c; ic++) {
                const int64_t x = tap(input, in, b, iy, ix0 + dx, ic, input_offset)
                    + (ox1 >= 0 ? tap(input, in, b, iy, ix1 + dx, ic, input_offset) * ((int64_t)1 << 32) : 0);
                switch (count) {
                case 4: acc[3] += x * w[3 * taps + ic]; /* fall through */
                case 3: acc[2] += x * w[2 * taps + ic]; /* fall through */
                case 2: acc[1] += x * w[taps + ic]; /* fall through */
                default: acc[0] += x * w[ic];
                }
            }
        }
    }
    for (int32_t j = 0; j < count; j++) {
        int32_t lo, hi;
        em_unpack(acc[j], &lo, &hi);
        int8_t *o = output + ((b * out->h + oy) * out->w + ox0) * out->c + oc + j;
        o[0] = em_requantize(lo, q, oc + j, p->output_offset, p->act_min, p->act_max);
        if (ox1 >= 0) {
            o[out->c * (ox1 - ox0)] = em_requantize(hi, q, oc + j, p->output_offset, p->act_min, p->act_max);
        }
    }
}

em_status em_conv_s8(const em_conv_params *p, const em_requant *q, const em_dims *in, const int8_t *input,
                     const em_dims *f, const int8_t *filter, const em_dims *out, int8_t *output)
{
    EM_CHECK_CONV_ARGS(p, q, in, input, f, filter, out, output);
    if (f->c != in->c || f->n != out->c || in->n != out->n) {
        return EM_ERR_SHAPE;
    }
    const int32_t input_offset = p->bias_folded ? 0 : p->input_offset;
    for (int32_t b = 0; b < out->n; b++) {
        for (int32_t oy = 0; oy < out->h; oy++) {
            for (int32_t ox = 0; ox < out->w; ox += 2) {
                const int32_t ox1 = ox + 1 < out->w ? ox + 1 : -1;
                for (int32_t oc = 0; oc < out->c; oc += 4) {
                    const int32_t count = out->c - oc < 4 ? out->c - oc : 4;
                    conv_block(p, q, in, input, f, filter, out, output, b, oy, ox, ox1, oc, count, input_offset);
                }
            }
        }
    }
    return EM_OK;
}
