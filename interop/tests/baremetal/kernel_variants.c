/*
 * Every fast kernel variant against its reference loop, on seeded random shapes, parameters and data: the same
 * program on every instruction set (the host under ctest, the Cortex-M4F under QEMU through
 * tests/baremetal/run_corpus.sh), since a fast path that is exact on x86-64 may not be on a 32-bit core.
 * Plain C99 with malloc and printf only. Exit code 0: all trials equal; 1: the first difference is printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_micro.h"

#define TRIALS 300

static uint32_t state;

/* xorshift32: the same sequence on every target. */
static int32_t range(int32_t lo, int32_t hi)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return lo + (int32_t)(state % (uint32_t)(hi - lo + 1));
}

static int8_t *random_bytes(size_t n)
{
    int8_t *v = malloc(n ? n : 1);
    for (size_t i = 0; v && i < n; i++) {
        v[i] = (int8_t)range(-128, 127);
    }
    return v;
}

typedef struct {
    int32_t mult[512], shift[512], bias[512];
    em_requant q;
} requant;

static void random_requant(requant *r, int32_t channels, int with_bias)
{
    for (int32_t c = 0; c < channels; c++) {
        r->mult[c] = range(1 << 30, INT32_MAX);
        r->shift[c] = range(-12, 1); /* mostly right shifts, now and then none or a left shift (em_mbqm's path) */
        r->bias[c] = range(-20000, 20000);
    }
    r->q.multipliers = r->mult;
    r->q.shifts = r->shift;
    r->q.bias = with_bias ? r->bias : NULL;
}

static em_conv_params conv_params(int32_t stride, int32_t dilation, int32_t pad_h, int32_t pad_w)
{
    em_conv_params p;
    memset(&p, 0, sizeof p);
    p.stride_w = stride;
    p.stride_h = range(1, 2);
    p.dilation_w = dilation;
    p.dilation_h = range(1, 2);
    p.pad_w = pad_w;
    p.pad_h = pad_h;
    p.input_offset = range(-127, 128);
    p.output_offset = range(-128, 127);
    p.act_min = range(-128, 0);
    p.act_max = range(0, 127);
    p.bias_folded = range(0, 3) == 0 ? 1 : 0;
    return p;
}

static int32_t out_size(int32_t in, int32_t k, int32_t stride, int32_t dilation, int32_t pad)
{
    const int32_t n = (in + 2 * pad - ((k - 1) * dilation + 1)) / stride + 1;
    return n < 1 ? 1 : n;
}

/* Compares two results (printing the kernel and trial of a difference), then frees the trial's four buffers. */
static int same(const char *kernel, int trial, em_status s_ref, em_status s_fast, int8_t *expected, int8_t *actual, size_t n,
                int8_t *x, int8_t *w)
{
    const int equal = s_ref == EM_OK && s_fast == EM_OK && memcmp(expected, actual, n) == 0;
    if (!equal) {
        printf("%s: trial %d differs (status %d / %d)\n", kernel, trial, (int)s_ref, (int)s_fast);
    }
    free(x);
    free(w);
    free(expected);
    free(actual);
    return equal;
}

/*
 * kind: 0 convolution, 1 depthwise, 2 pointwise (1x1, stride 1, no padding, offset folded: the matrix-product
 * path), 3 depthwise with multiplier 1 and a multiple of four channels (the four-channel path).
 */
static int conv_trials(int kind)
{
    static requant q;
    const int depthwise = kind == 1 || kind == 3, pointwise = kind == 2, four_channels = kind == 3;
    for (int trial = 0; trial < TRIALS; trial++) {
        const int32_t m = four_channels ? 1 : depthwise ? range(1, 10) : 1;
        em_dims in = {range(1, 2), range(1, 12), range(1, 12),
                      four_channels ? 4 * range(1, 6) : depthwise ? range(1, 6) : pointwise ? range(1, 40) : range(1, 9)};
        if (pointwise && trial % 25 == 0) {
            in.c = range(257, 300); /* longer rows than the narrow pointwise path packs: the general loops */
        }
        em_dims f = depthwise ? (em_dims){1, range(1, 5), range(1, 5), in.c * m}
                  : pointwise ? (em_dims){4 * range(1, 4), 1, 1, in.c}
                              : (em_dims){range(1, 9), range(1, 4), range(1, 4), in.c};
        em_conv_params p = pointwise ? conv_params(1, 1, 0, 0) : conv_params(range(1, 3), range(1, 2), range(0, 2), range(0, 2));
        if (pointwise) {
            p.stride_h = 1;
            p.bias_folded = 1;
        }
        p.depth_multiplier = depthwise ? m : 0;
        em_dims out = {in.n, out_size(in.h, f.h, p.stride_h, p.dilation_h, p.pad_h), out_size(in.w, f.w, p.stride_w, p.dilation_w, p.pad_w),
                       depthwise ? f.c : f.n};
        const size_t n_out = (size_t)out.n * out.h * out.w * out.c;
        int8_t *x = random_bytes((size_t)in.n * in.h * in.w * in.c), *w = random_bytes((size_t)f.n * f.h * f.w * f.c);
        random_requant(&q, out.c, range(0, 1));
        int8_t *expected = malloc(n_out), *actual = malloc(n_out);
        const em_status s_ref = depthwise ? em_depthwise_conv_s8_reference(&p, &q.q, &in, x, &f, w, &out, expected)
                                          : em_conv_s8_reference(&p, &q.q, &in, x, &f, w, &out, expected);
        const em_status s_fast = depthwise ? em_depthwise_conv_s8(&p, &q.q, &in, x, &f, w, &out, actual)
                                           : em_conv_s8(&p, &q.q, &in, x, &f, w, &out, actual);
        if (!same(four_channels ? "four-channel depthwise" : depthwise ? "depthwise" : pointwise ? "pointwise conv" : "conv", trial, s_ref, s_fast, expected, actual, n_out, x, w)) {
            return 0;
        }
    }
    return 1;
}

static int fully_connected_trials(void)
{
    static requant q;
    for (int trial = 0; trial < TRIALS; trial++) {
        const int32_t batches = range(1, 3), depth = range(1, 300), out_depth = range(1, 13);
        em_fc_params p;
        memset(&p, 0, sizeof p);
        p.input_offset = range(-127, 128);
        p.output_offset = range(-128, 127);
        p.act_min = -128;
        p.act_max = 127;
        p.multiplier_count = range(0, 1) ? 1 : out_depth;
        p.bias_folded = range(0, 1);
        int8_t *x = random_bytes((size_t)batches * depth), *w = random_bytes((size_t)out_depth * depth);
        random_requant(&q, out_depth, 1);
        int8_t *expected = malloc((size_t)batches * out_depth), *actual = malloc((size_t)batches * out_depth);
        const em_status s_ref = em_fully_connected_s8_reference(&p, &q.q, batches, depth, out_depth, x, w, expected);
        const em_status s_fast = em_fully_connected_s8(&p, &q.q, batches, depth, out_depth, x, w, actual);
        if (!same("fully connected", trial, s_ref, s_fast, expected, actual, (size_t)batches * out_depth, x, w)) {
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    state = 2463534242u;
    const int ok = conv_trials(0) && conv_trials(1) && conv_trials(2) && conv_trials(3) && fully_connected_trials();
    printf("kernel variants: %s (%d trials each of conv, depthwise, pointwise conv, four-channel depthwise, fully connected)\n", ok ? "fast equals reference" : "DIFFER", TRIALS);
    return ok ? 0 : 1;
}
