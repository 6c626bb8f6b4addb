/*
 * The native runner: .emm loading with the same validation rules and error codes as the C# loader
 * (firmware/Edge.Micro.Runtime/Model.cs and each kernel's Validate), then a whole inference with the
 * native kernels. The model stays where it is (flash); nothing is decoded into RAM, nothing is allocated.
 * Tensor and op records are re-read on every Invoke: a few hundred loads, negligible beside the kernels.
 */
#include <string.h>

#include "edge_micro.h"

/* ---- format constants (docs/format.md, Format/EmmFormat.cs) ---- */
#define MAGIC 0x464D4D45u
#define VERSION 1u
#define HEADER_BYTES 64u
#define TENSOR_RECORD_BYTES 40u
#define OP_RECORD_HEADER_BYTES 8u
#define MAX_RANK 4
#define MAX_ARENA_BYTES (4u * 1024u * 1024u)
#define NO_ARRAY (-1)
#define STORAGE_ARENA 0
#define STORAGE_CONSTANT 1
#define STORAGE_STATE 2

enum { T_INT8 = 1, T_INT16 = 2, T_INT32 = 3, T_FLOAT32 = 4, T_UINT8 = 5 };
enum {
    OP_CONV = 1, OP_DEPTHWISE = 2, OP_FC = 3, OP_AVG_POOL = 4, OP_MAX_POOL = 5, OP_RESHAPE = 6, OP_SOFTMAX = 7,
    OP_ADD = 8, OP_MEAN = 9, OP_LOGISTIC = 10, OP_TANH = 11, OP_QUANTIZE = 12, OP_DEQUANTIZE = 13, OP_SVDF = 14,
    OP_CONV_S16 = 15, OP_DEPTHWISE_S16 = 16, OP_FC_S16 = 17, OP_SOFTMAX_S16 = 18
};
#define SOFTMAX_S16_TABLE_WORDS 257

static uint32_t rd16(const uint8_t *b, uint32_t o) { return (uint32_t)b[o] | ((uint32_t)b[o + 1] << 8); }
static uint32_t rd32(const uint8_t *b, uint32_t o)
{
    return (uint32_t)b[o] | ((uint32_t)b[o + 1] << 8) | ((uint32_t)b[o + 2] << 16) | ((uint32_t)b[o + 3] << 24);
}
static int32_t rdi32(const uint8_t *b, uint32_t o) { return (int32_t)rd32(b, o); }

static uint32_t crc32(const uint8_t *data, uint32_t count)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (uint32_t i = 0; i < count; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }
    return ~crc;
}

static int element_size(uint32_t type)
{
    switch (type) {
    case T_INT8: case T_UINT8: return 1;
    case T_INT16: return 2;
    case T_INT32: case T_FLOAT32: return 4;
    default: return 0;
    }
}

/* ---- header fields ---- */
#define H(m, off) rd32((m)->bytes, (off))
#define TENSOR_COUNT(m) rd16((m)->bytes, 20)
#define OP_COUNT(m) rd16((m)->bytes, 22)
#define INPUT_COUNT(m) rd16((m)->bytes, 24)
#define OUTPUT_COUNT(m) rd16((m)->bytes, 26)
#define TENSOR_TABLE(m) H(m, 28)
#define OP_TABLE(m) H(m, 32)
#define IO_TABLE(m) H(m, 36)
#define CONST_DATA(m) H(m, 40)
#define CONST_BYTES(m) H(m, 44)
#define STRINGS(m) H(m, 48)
#define STRING_BYTES(m) H(m, 52)

/* ---- tensor record fields ---- */
static uint32_t trec(const em_model *m, uint32_t t) { return TENSOR_TABLE(m) + t * TENSOR_RECORD_BYTES; }
static uint32_t t_type(const em_model *m, uint32_t t) { return m->bytes[trec(m, t)]; }
static uint32_t t_rank(const em_model *m, uint32_t t) { return m->bytes[trec(m, t) + 1]; }
static int t_const(const em_model *m, uint32_t t) { return m->bytes[trec(m, t) + 2] == STORAGE_CONSTANT; }
static int t_state(const em_model *m, uint32_t t) { return m->bytes[trec(m, t) + 2] == STORAGE_STATE; }
static int32_t t_dim(const em_model *m, uint32_t t, uint32_t i) { return rdi32(m->bytes, trec(m, t) + 4 + 4 * i); }
static uint32_t t_location(const em_model *m, uint32_t t) { return rd32(m->bytes, trec(m, t) + 20); }
static uint32_t t_bytes(const em_model *m, uint32_t t) { return rd32(m->bytes, trec(m, t) + 24); }
static int32_t t_last_dim(const em_model *m, uint32_t t) { return t_rank(m, t) == 0 ? 1 : t_dim(m, t, t_rank(m, t) - 1); }
static int32_t t_count(const em_model *m, uint32_t t) { return (int32_t)(t_bytes(m, t) / (uint32_t)element_size(t_type(m, t))); }

static const uint8_t *t_data(const em_model *m, uint32_t t)
{
    return t_const(m, t) ? m->bytes + CONST_DATA(m) + t_location(m, t) : m->arena + t_location(m, t);
}
static uint8_t *t_arena(const em_model *m, uint32_t t) { return m->arena + t_location(m, t); }

/* Dims right-aligned into NHWC (missing leading dimensions are 1). */
static em_dims t_dims4(const em_model *m, uint32_t t)
{
    int32_t d[4] = {1, 1, 1, 1};
    uint32_t rank = t_rank(m, t);
    for (uint32_t i = 0; i < rank; i++) {
        d[4 - rank + i] = t_dim(m, t, i);
    }
    em_dims r = {d[0], d[1], d[2], d[3]};
    return r;
}

/* ---- op record fields ---- */
static uint32_t orec(const em_model *m, uint32_t op) { return rd32(m->bytes, OP_TABLE(m) + 4 * op); }
static uint32_t o_code(const em_model *m, uint32_t op) { return rd16(m->bytes, orec(m, op)); }
static uint32_t o_nin(const em_model *m, uint32_t op) { return m->bytes[orec(m, op) + 4]; }
static uint32_t o_nout(const em_model *m, uint32_t op) { return m->bytes[orec(m, op) + 5]; }
static uint32_t o_nparams(const em_model *m, uint32_t op) { return rd16(m->bytes, orec(m, op) + 6); }
static uint32_t o_in(const em_model *m, uint32_t op, uint32_t i) { return rd16(m->bytes, orec(m, op) + OP_RECORD_HEADER_BYTES + 2 * i); }
static uint32_t o_out(const em_model *m, uint32_t op, uint32_t i) { return o_in(m, op, o_nin(m, op) + i); }
static uint32_t o_params_at(const em_model *m, uint32_t op)
{
    return orec(m, op) + OP_RECORD_HEADER_BYTES + ((2 * (o_nin(m, op) + o_nout(m, op)) + 3) & ~3u);
}
static int32_t o_param(const em_model *m, uint32_t op, uint32_t i) { return rdi32(m->bytes, o_params_at(m, op) + 4 * i); }

/* Copies the op's int32 parameter block into a params struct (all-int32 structs, little-endian host). */
static void o_params(const em_model *m, uint32_t op, void *dst, size_t bytes) { memcpy(dst, m->bytes + o_params_at(m, op), bytes); }

static const int32_t *array_at(const em_model *m, int32_t rel)
{
    if (rel == NO_ARRAY) {
        return NULL;
    }
    return (const int32_t *)(const void *)(m->bytes + CONST_DATA(m) + (uint32_t)rel);
}

/* ---- validation (mirrors the C# kernels' Validate) ---- */
static int in_range(int32_t v, int32_t lo, int32_t hi) { return v >= lo && v <= hi; }
static int act_range(int32_t lo, int32_t hi, int32_t tmin, int32_t tmax) { return lo >= tmin && hi <= tmax && lo <= hi; }
static int int8_rank4(const em_model *m, uint32_t t) { return t_type(m, t) == T_INT8 && t_rank(m, t) == 4; }

static int has_array(const em_model *m, int32_t rel, int32_t count)
{
    return rel >= 0 && rel % 4 == 0 && count >= 0 && (uint64_t)rel + (uint64_t)count * 4u <= CONST_BYTES(m);
}

static em_model_error requant_arrays(const em_model *m, uint32_t op, int mult_p, int shift_p, int bias_p, int32_t channels)
{
    if (mult_p >= 0) {
        int32_t mo = o_param(m, op, (uint32_t)mult_p), so = o_param(m, op, (uint32_t)shift_p);
        if (!has_array(m, mo, channels) || !has_array(m, so, channels)) {
            return EM_MODEL_ARRAY_OUT_OF_RANGE;
        }
        for (int32_t c = 0; c < channels; c++) {
            if (rdi32(m->bytes, CONST_DATA(m) + (uint32_t)mo + 4u * (uint32_t)c) < 0 ||
                !in_range(rdi32(m->bytes, CONST_DATA(m) + (uint32_t)so + 4u * (uint32_t)c), -31, 30)) {
                return EM_MODEL_BAD_OP_PARAMS;
            }
        }
    }
    if (bias_p >= 0) {
        int32_t bo = o_param(m, op, (uint32_t)bias_p);
        if (bo != NO_ARRAY && !has_array(m, bo, channels)) {
            return EM_MODEL_ARRAY_OUT_OF_RANGE;
        }
    }
    return EM_MODEL_OK;
}

static em_model_error validate_conv(const em_model *m, uint32_t op, int depthwise)
{
    if (o_nin(m, op) != 2 || o_nout(m, op) != 1 || o_nparams(m, op) != 15) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), f = o_in(m, op, 1), out = o_out(m, op, 0);
    int32_t mult = o_param(m, op, 10);
    if (!int8_rank4(m, in) || !int8_rank4(m, f) || !int8_rank4(m, out) || !t_const(m, f) || t_const(m, in) ||
        t_dim(m, in, 0) != t_dim(m, out, 0)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    if (depthwise) {
        if (mult < 1 || t_dim(m, f, 0) != 1 || t_dim(m, f, 3) != t_dim(m, out, 3) ||
            (int64_t)t_dim(m, in, 3) * mult != t_dim(m, out, 3)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
    } else if (t_dim(m, f, 3) != t_dim(m, in, 3) || t_dim(m, f, 0) != t_dim(m, out, 3)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    if (!in_range(o_param(m, op, 0), 1, 0xFFFF) || !in_range(o_param(m, op, 1), 1, 0xFFFF) ||
        !in_range(o_param(m, op, 2), 1, 0xFFFF) || !in_range(o_param(m, op, 3), 1, 0xFFFF) ||
        !in_range(o_param(m, op, 4), 0, 0xFFFF) || !in_range(o_param(m, op, 5), 0, 0xFFFF) ||
        !in_range(o_param(m, op, 6), -255, 255) || !in_range(o_param(m, op, 7), -128, 127) ||
        !act_range(o_param(m, op, 8), o_param(m, op, 9), -128, 127) || !in_range(o_param(m, op, 14), 0, 1)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return requant_arrays(m, op, 11, 12, 13, t_dim(m, out, 3));
}

static int int16_rank4(const em_model *m, uint32_t t) { return t_type(m, t) == T_INT16 && t_rank(m, t) == 4; }

/* The requantization arrays of a 16x8 op (ConvS16.ValidateRequant): int64 bias as int32 pairs, shifts <= 7. */
static em_model_error requant_s16(const em_model *m, uint32_t op, int mult_p, int shift_p, int bias_p, int bits_p,
                                  int32_t multiplier_count, int32_t channels)
{
    const int32_t bits = o_param(m, op, (uint32_t)bits_p);
    if (bits != 32 && bits != 64) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    em_model_error e = requant_arrays(m, op, mult_p, shift_p, -1, multiplier_count);
    if (e != EM_MODEL_OK) {
        return e;
    }
    if (bits == 64) {
        const int32_t so = o_param(m, op, (uint32_t)shift_p);
        for (int32_t c = 0; c < multiplier_count; c++) {
            if (rdi32(m->bytes, CONST_DATA(m) + (uint32_t)so + 4u * (uint32_t)c) > 7) {
                return EM_MODEL_BAD_OP_PARAMS;
            }
        }
    }
    const int32_t bo = o_param(m, op, (uint32_t)bias_p);
    return (bo == NO_ARRAY || has_array(m, bo, bits == 64 ? 2 * channels : channels)) ? EM_MODEL_OK : EM_MODEL_ARRAY_OUT_OF_RANGE;
}

static em_model_error validate_conv_s16(const em_model *m, uint32_t op, int depthwise)
{
    if (o_nin(m, op) != 2 || o_nout(m, op) != 1 || o_nparams(m, op) != 13) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), f = o_in(m, op, 1), out = o_out(m, op, 0);
    int32_t mult = o_param(m, op, 8), channels = t_dim(m, out, 3);
    if (!int16_rank4(m, in) || !int8_rank4(m, f) || !int16_rank4(m, out) || !t_const(m, f) || t_const(m, in) ||
        t_dim(m, in, 0) != t_dim(m, out, 0)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    if (depthwise ? (mult < 1 || t_dim(m, f, 0) != 1 || t_dim(m, f, 3) != channels || (int64_t)t_dim(m, in, 3) * mult != channels)
                  : (mult != 0 || t_dim(m, f, 3) != t_dim(m, in, 3) || t_dim(m, f, 0) != channels)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    for (uint32_t i = 0; i < 4; i++) {
        if (!in_range(o_param(m, op, i), 1, 0xFFFF)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
    }
    if (!in_range(o_param(m, op, 4), 0, 0xFFFF) || !in_range(o_param(m, op, 5), 0, 0xFFFF) ||
        !act_range(o_param(m, op, 6), o_param(m, op, 7), -32768, 32767)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return requant_s16(m, op, 9, 10, 11, 12, channels, channels);
}

/* FULLY_CONNECTED's tensor contract for both widths (FullyConnectedS8.TensorsFit). */
static int fc_tensors_fit(const em_model *m, uint32_t op, uint32_t nparams, uint32_t type)
{
    if (o_nin(m, op) != 2 || o_nout(m, op) != 1 || o_nparams(m, op) != nparams) {
        return 0;
    }
    uint32_t in = o_in(m, op, 0), f = o_in(m, op, 1), out = o_out(m, op, 0);
    if (t_type(m, in) != type || t_type(m, f) != T_INT8 || t_type(m, out) != type || t_rank(m, f) != 2 || !t_const(m, f) ||
        t_const(m, in)) {
        return 0;
    }
    int32_t out_depth = t_dim(m, f, 0);
    return t_last_dim(m, out) == out_depth && t_count(m, out) % out_depth == 0 &&
           (int64_t)(t_count(m, out) / out_depth) * t_dim(m, f, 1) == t_count(m, in);
}

static em_model_error validate_fc_s16(const em_model *m, uint32_t op)
{
    if (!fc_tensors_fit(m, op, 7, T_INT16)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    int32_t out_depth = t_dim(m, o_in(m, op, 1), 0), count = o_param(m, op, 4);
    if ((count != 1 && count != out_depth) || !act_range(o_param(m, op, 0), o_param(m, op, 1), -32768, 32767)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return requant_s16(m, op, 2, 3, 5, 6, count, out_depth);
}

static em_model_error validate_fc(const em_model *m, uint32_t op)
{
    if (!fc_tensors_fit(m, op, 9, T_INT8)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    int32_t out_depth = t_dim(m, o_in(m, op, 1), 0);
    int32_t channels = o_param(m, op, 6);
    if (!in_range(o_param(m, op, 0), -255, 255) || !in_range(o_param(m, op, 1), -128, 127) ||
        !act_range(o_param(m, op, 2), o_param(m, op, 3), -128, 127) || (channels != 1 && channels != out_depth) ||
        !in_range(o_param(m, op, 8), 0, 1)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    em_model_error e = requant_arrays(m, op, 4, 5, -1, channels);
    return e != EM_MODEL_OK ? e : requant_arrays(m, op, -1, -1, 7, out_depth);
}

static em_model_error validate_pool(const em_model *m, uint32_t op)
{
    if (o_nin(m, op) != 1 || o_nout(m, op) != 1 || o_nparams(m, op) != 8) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
    const int wide = t_type(m, in) == T_INT16;
    if (!(int8_rank4(m, in) || int16_rank4(m, in)) || t_type(m, out) != t_type(m, in) || t_rank(m, out) != 4 || t_const(m, in) ||
        t_dim(m, in, 0) != t_dim(m, out, 0) || t_dim(m, in, 3) != t_dim(m, out, 3)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    for (uint32_t i = 0; i < 4; i++) {
        if (!in_range(o_param(m, op, i), 1, 0xFFFF)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
    }
    if (!in_range(o_param(m, op, 4), 0, 0xFFFF) || !in_range(o_param(m, op, 5), 0, 0xFFFF) ||
        !act_range(o_param(m, op, 6), o_param(m, op, 7), wide ? -32768 : -128, wide ? 32767 : 127)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return EM_MODEL_OK;
}

/* SVDF: input, feature weights, time weights, state -> output (SvdfS8.Validate). */
static em_model_error validate_svdf(const em_model *m, uint32_t op)
{
    if (o_nin(m, op) != 4 || o_nout(m, op) != 1 || o_nparams(m, op) != 9) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), wf = o_in(m, op, 1), wt = o_in(m, op, 2), st = o_in(m, op, 3), out = o_out(m, op, 0);
    uint32_t stype = t_type(m, st);
    if (t_type(m, in) != T_INT8 || t_rank(m, in) != 2 || t_const(m, in) || t_type(m, wf) != T_INT8 || t_rank(m, wf) != 2 ||
        !t_const(m, wf) || (stype != T_INT8 && stype != T_INT16) || t_type(m, wt) != stype || t_rank(m, wt) != 2 ||
        !t_const(m, wt) || t_rank(m, st) != 2 || !t_state(m, st) || t_type(m, out) != T_INT8 || t_rank(m, out) != 2) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    int32_t batches = t_dim(m, in, 0), filters = t_dim(m, wf, 0), memory = t_dim(m, wt, 1), rank = o_param(m, op, 0);
    if (t_dim(m, wf, 1) != t_dim(m, in, 1) || t_dim(m, wt, 0) != filters || t_dim(m, st, 0) != batches ||
        (int64_t)t_dim(m, st, 1) != (int64_t)filters * memory || t_dim(m, out, 0) != batches) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    if (rank < 1 || filters % rank != 0 || t_dim(m, out, 1) != filters / rank) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    int32_t smin = stype == T_INT8 ? -128 : -32768, smax = stype == T_INT8 ? 127 : 32767;
    if (!in_range(o_param(m, op, 1), smin, smax) || !in_range(o_param(m, op, 2), -128, 127) || o_param(m, op, 3) < 0 ||
        !in_range(o_param(m, op, 4), -31, 30) || o_param(m, op, 5) < 0 || !in_range(o_param(m, op, 6), -31, 30)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    if (!has_array(m, o_param(m, op, 7), filters) || !has_array(m, o_param(m, op, 8), filters / rank)) {
        return EM_MODEL_ARRAY_OUT_OF_RANGE;
    }
    return EM_MODEL_OK;
}

/* SOFTMAX's tensor contract for both widths (SoftmaxS8.TensorsFit); an int8 input may give an int16 output. */
static int softmax_tensors_fit(const em_model *m, uint32_t op, uint32_t nparams, uint32_t type, int32_t max_depth)
{
    if (o_nin(m, op) != 1 || o_nout(m, op) != 1 || o_nparams(m, op) != nparams) {
        return 0;
    }
    uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
    const int output_fits = t_type(m, out) == type || (type == T_INT8 && t_type(m, out) == T_INT16);
    return t_type(m, in) == type && output_fits && !t_const(m, in) && t_count(m, in) == t_count(m, out) &&
           t_last_dim(m, in) == t_last_dim(m, out) && t_last_dim(m, in) <= max_depth;
}

static int broadcasts(const em_model *m, uint32_t in, uint32_t out)
{
    if (t_rank(m, in) > t_rank(m, out)) {
        return 0;
    }
    em_dims a = t_dims4(m, in), o = t_dims4(m, out);
    return (a.n == 1 || a.n == o.n) && (a.h == 1 || a.h == o.h) && (a.w == 1 || a.w == o.w) && (a.c == 1 || a.c == o.c);
}

static em_model_error validate_op(const em_model *m, uint32_t op)
{
    uint32_t code = o_code(m, op);
    uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
    switch (code) {
    case OP_CONV: return validate_conv(m, op, 0);
    case OP_DEPTHWISE: return validate_conv(m, op, 1);
    case OP_FC: return validate_fc(m, op);
    case OP_SVDF: return validate_svdf(m, op);
    case OP_CONV_S16: return validate_conv_s16(m, op, 0);
    case OP_DEPTHWISE_S16: return validate_conv_s16(m, op, 1);
    case OP_FC_S16: return validate_fc_s16(m, op);
    case OP_AVG_POOL:
    case OP_MAX_POOL: return validate_pool(m, op);
    case OP_RESHAPE: {
        if (nin != 1 || nout != 1 || np != 0) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
        if (t_const(m, in) || t_type(m, in) != t_type(m, out) || t_bytes(m, in) != t_bytes(m, out) ||
            t_location(m, in) != t_location(m, out)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        return EM_MODEL_OK;
    }
    case OP_SOFTMAX: {
        if (!softmax_tensors_fit(m, op, 3, T_INT8, 256)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        if (o_param(m, op, 0) <= 0 || !in_range(o_param(m, op, 1), 0, 31) || o_param(m, op, 2) > 0) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
        return EM_MODEL_OK;
    }
    case OP_SOFTMAX_S16: {
        if (!softmax_tensors_fit(m, op, 4, T_INT16, 0xFFFF)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        if (o_param(m, op, 0) < 0 || !in_range(o_param(m, op, 1), -31, 30)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
        return (has_array(m, o_param(m, op, 2), SOFTMAX_S16_TABLE_WORDS) && has_array(m, o_param(m, op, 3), SOFTMAX_S16_TABLE_WORDS))
                   ? EM_MODEL_OK
                   : EM_MODEL_ARRAY_OUT_OF_RANGE;
    }
    case OP_ADD: {
        if (nin != 2 || nout != 1 || np != 12) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        uint32_t a = o_in(m, op, 0), b = o_in(m, op, 1), out = o_out(m, op, 0);
        const uint32_t type = t_type(m, out);
        if ((type != T_INT8 && type != T_INT16) || t_type(m, a) != type || t_type(m, b) != type || !broadcasts(m, a, out) ||
            !broadcasts(m, b, out)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        const int32_t lo = type == T_INT16 ? -32768 : -128, hi = type == T_INT16 ? 32767 : 127;
        if (!in_range(o_param(m, op, 0), 0, 20) || !in_range(o_param(m, op, 3), -31, 0) || !in_range(o_param(m, op, 6), -31, 0) ||
            !in_range(o_param(m, op, 9), -31, 0) || !in_range(o_param(m, op, 1), -hi, -lo) ||
            !in_range(o_param(m, op, 4), -hi, -lo) || !in_range(o_param(m, op, 7), lo, hi) ||
            !act_range(o_param(m, op, 10), o_param(m, op, 11), lo, hi)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
        return EM_MODEL_OK;
    }
    case OP_MEAN: {
        if (nin != 1 || nout != 1 || np != 4) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
        const uint32_t type = t_type(m, in);
        if (!(int8_rank4(m, in) || int16_rank4(m, in)) || t_type(m, out) != type || t_const(m, in) ||
            t_count(m, out) != t_dim(m, in, 0) * t_dim(m, in, 3) || (int64_t)t_dim(m, in, 1) * t_dim(m, in, 2) > 0xFFFF) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        const int32_t lo = type == T_INT16 ? -32768 : -128, hi = type == T_INT16 ? 32767 : 127;
        if (!in_range(o_param(m, op, 0), -hi, -lo) || !in_range(o_param(m, op, 1), lo, hi) || !in_range(o_param(m, op, 3), -31, 30)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
        return EM_MODEL_OK;
    }
    case OP_LOGISTIC:
    case OP_TANH: {
        if (nin != 1 || nout != 1 || np != 4) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
        if (t_type(m, in) != T_INT8 || t_type(m, out) != T_INT8 || t_count(m, in) != t_count(m, out)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        if (!in_range(o_param(m, op, 0), -128, 127) || !in_range(o_param(m, op, 2), -31, 30) || o_param(m, op, 3) < 0) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
        return EM_MODEL_OK;
    }
    case OP_QUANTIZE: {
        if (nin != 1 || nout != 1 || np != 5) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
        uint32_t it = t_type(m, in), ot = t_type(m, out);
        if ((it != T_FLOAT32 && it != T_INT8 && it != T_INT16) || (ot != T_INT8 && ot != T_INT16) || t_count(m, in) != t_count(m, out)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        int32_t bits = o_param(m, op, 1);
        float scale;
        memcpy(&scale, &bits, sizeof scale);
        if (!in_range(o_param(m, op, 4), -31, 30) || !(scale > 0)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
        return EM_MODEL_OK;
    }
    case OP_DEQUANTIZE: {
        if (nin != 1 || nout != 1 || np != 2) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
        uint32_t it = t_type(m, in);
        if ((it != T_INT8 && it != T_INT16) || t_type(m, out) != T_FLOAT32 || t_count(m, in) != t_count(m, out)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        return EM_MODEL_OK;
    }
    default:
        return EM_MODEL_UNKNOWN_OP;
    }
}

/* ---- loading ---- */
static int range_ok(const em_model *m, uint64_t offset, uint64_t length) { return offset + length <= m->length; }

static em_model_error check_string(const em_model *m, uint32_t rel)
{
    if ((uint64_t)rel + 2 > STRING_BYTES(m) || (uint64_t)rel + 2 + rd16(m->bytes, STRINGS(m) + rel) > STRING_BYTES(m)) {
        return EM_MODEL_BAD_STRING;
    }
    return EM_MODEL_OK;
}

static em_model_error check_table(const em_model *m, uint32_t offset, uint64_t length)
{
    return (offset < HEADER_BYTES || offset % 4 != 0 || !range_ok(m, offset, length)) ? EM_MODEL_TABLE_OUT_OF_RANGE : EM_MODEL_OK;
}

static em_model_error check_tensor(const em_model *m, uint32_t t)
{
    uint32_t r = trec(m, t);
    uint32_t type = t_type(m, t), rank = t_rank(m, t), storage = m->bytes[r + 2];
    int size = element_size(type);
    if (size == 0 || rank > MAX_RANK || storage > STORAGE_STATE) {
        return EM_MODEL_BAD_TENSOR;
    }
    uint64_t elements = 1;
    for (uint32_t i = 0; i < MAX_RANK; i++) {
        int32_t d = t_dim(m, t, i);
        if (i < rank) {
            if (d <= 0 || d > 0xFFFFFF) {
                return EM_MODEL_BAD_TENSOR;
            }
            elements *= (uint64_t)d;
            if (elements > INT32_MAX) {
                return EM_MODEL_BAD_TENSOR;
            }
        } else if (d != 0) {
            return EM_MODEL_BAD_TENSOR;
        }
    }
    uint32_t location = t_location(m, t), bytes = t_bytes(m, t);
    if ((uint64_t)bytes != elements * (uint64_t)size) {
        return EM_MODEL_BAD_TENSOR;
    }
    uint32_t limit = storage == STORAGE_CONSTANT ? CONST_BYTES(m) : rd32(m->bytes, 16);
    if (location > INT32_MAX || (uint64_t)location + bytes > limit || location % (uint32_t)size != 0) {
        return EM_MODEL_TENSOR_OUT_OF_RANGE;
    }
    return check_string(m, rd32(m->bytes, r + 36));
}

const char *em_model_error_message(em_model_error error)
{
    switch (error) {
    case EM_MODEL_OK: return "ok";
    case EM_MODEL_TOO_SMALL: return "file is shorter than the 64-byte .emm header";
    case EM_MODEL_BAD_MAGIC: return "not an .emm model (bad magic); convert the .tflite with 'edge-micro convert'";
    case EM_MODEL_UNSUPPORTED_VERSION: return "unsupported .emm format version; re-convert the model with this version of edge-micro";
    case EM_MODEL_BAD_HEADER: return "corrupt header (bad header size, counts or flags)";
    case EM_MODEL_LENGTH_MISMATCH: return "file length does not match the header (truncated or padded file)";
    case EM_MODEL_CRC_MISMATCH: return "CRC-32 mismatch: the file is corrupt";
    case EM_MODEL_TABLE_OUT_OF_RANGE: return "a table lies outside the file";
    case EM_MODEL_BAD_TENSOR: return "corrupt tensor record (type, rank, shape or byte size)";
    case EM_MODEL_TENSOR_OUT_OF_RANGE: return "tensor data lies outside the arena or the constant data";
    case EM_MODEL_BAD_OP_RECORD: return "corrupt op record (size or tensor count)";
    case EM_MODEL_UNKNOWN_OP: return "unknown op code";
    case EM_MODEL_BAD_OP_TENSORS: return "op tensors do not match the kernel's contract (index, type or shape)";
    case EM_MODEL_BAD_OP_PARAMS: return "op parameters out of range";
    case EM_MODEL_ARRAY_OUT_OF_RANGE: return "op parameter array lies outside the constant data";
    case EM_MODEL_BAD_IO_TABLE: return "corrupt input/output table";
    case EM_MODEL_ARENA_TOO_SMALL: return "arena is smaller than the model needs";
    case EM_MODEL_BAD_STRING: return "corrupt string table";
    default: return "unknown error";
    }
}

uint32_t em_model_arena_bytes(const uint8_t *bytes, uint32_t length)
{
    return (bytes && length >= HEADER_BYTES && rd32(bytes, 0) == MAGIC) ? rd32(bytes, 16) : 0;
}

em_model_error em_model_load(em_model *m, const uint8_t *bytes, uint32_t length, uint8_t *arena, uint32_t arena_bytes)
{
    if (!m) {
        return EM_MODEL_TOO_SMALL;
    }
    memset(m, 0, sizeof *m);
    m->failed_op = UINT32_MAX;
    if (!bytes || length < HEADER_BYTES) {
        return EM_MODEL_TOO_SMALL;
    }
    m->bytes = bytes;
    m->length = length;
    if (rd32(bytes, 0) != MAGIC) {
        return EM_MODEL_BAD_MAGIC;
    }
    if (rd16(bytes, 4) != VERSION) {
        return EM_MODEL_UNSUPPORTED_VERSION;
    }
    if (rd16(bytes, 6) != HEADER_BYTES) {
        return EM_MODEL_BAD_HEADER;
    }
    if (rd32(bytes, 8) != length) {
        return EM_MODEL_LENGTH_MISMATCH;
    }
    if (crc32(bytes + 16, length - 16) != rd32(bytes, 12)) {
        return EM_MODEL_CRC_MISMATCH;
    }
    uint32_t need = rd32(bytes, 16);
    if (need > MAX_ARENA_BYTES) {
        return EM_MODEL_BAD_HEADER;
    }
    if (rd32(bytes, 60) > 2) { /* flags: the front end kind (0 none, 1 micro, 2 mfcc) */
        return EM_MODEL_BAD_HEADER;
    }
    if (TENSOR_COUNT(m) == 0 || INPUT_COUNT(m) == 0 || OUTPUT_COUNT(m) == 0) {
        return EM_MODEL_BAD_HEADER;
    }
    em_model_error e;
    if ((e = check_table(m, TENSOR_TABLE(m), (uint64_t)TENSOR_COUNT(m) * TENSOR_RECORD_BYTES)) != EM_MODEL_OK ||
        (e = check_table(m, OP_TABLE(m), (uint64_t)OP_COUNT(m) * 4)) != EM_MODEL_OK ||
        (e = check_table(m, IO_TABLE(m), (uint64_t)(INPUT_COUNT(m) + OUTPUT_COUNT(m)) * 2)) != EM_MODEL_OK) {
        return e;
    }
    if (CONST_DATA(m) > INT32_MAX || CONST_BYTES(m) > INT32_MAX || !range_ok(m, CONST_DATA(m), CONST_BYTES(m)) ||
        CONST_DATA(m) % 16 != 0) {
        return EM_MODEL_TABLE_OUT_OF_RANGE;
    }
    if (STRINGS(m) > INT32_MAX || STRING_BYTES(m) > INT32_MAX || !range_ok(m, STRINGS(m), STRING_BYTES(m))) {
        return EM_MODEL_TABLE_OUT_OF_RANGE;
    }
    if ((e = check_string(m, rd32(bytes, 56))) != EM_MODEL_OK) {
        return e;
    }
    for (uint32_t t = 0; t < TENSOR_COUNT(m); t++) {
        if ((e = check_tensor(m, t)) != EM_MODEL_OK) {
            return e;
        }
    }
    for (uint32_t i = 0; i < INPUT_COUNT(m) + OUTPUT_COUNT(m); i++) {
        uint32_t t = rd16(bytes, IO_TABLE(m) + 2 * i);
        if (t >= TENSOR_COUNT(m) || t_const(m, t)) {
            return EM_MODEL_BAD_IO_TABLE;
        }
    }
    /* Two passes, in the C# loader's order (so a file with several faults gets the same code): every op
     * record's framing first, then each op's tensors and parameters. */
    for (uint32_t op = 0; op < OP_COUNT(m); op++) {
        uint32_t r = orec(m, op);
        m->failed_op = op;
        if (!range_ok(m, r, OP_RECORD_HEADER_BYTES)) {
            return EM_MODEL_BAD_OP_RECORD;
        }
        uint32_t record_bytes = rd16(bytes, r + 2);
        uint32_t n = o_nin(m, op) + o_nout(m, op);
        if (!range_ok(m, r, record_bytes) || r % 4 != 0 || o_nout(m, op) == 0 ||
            OP_RECORD_HEADER_BYTES + ((2 * n + 3) & ~3u) + 4 * o_nparams(m, op) != record_bytes) {
            return EM_MODEL_BAD_OP_RECORD;
        }
    }
    for (uint32_t op = 0; op < OP_COUNT(m); op++) {
        uint32_t n = o_nin(m, op) + o_nout(m, op);
        m->failed_op = op;
        for (uint32_t i = 0; i < n; i++) {
            if (o_in(m, op, i) >= TENSOR_COUNT(m)) {
                return EM_MODEL_BAD_OP_TENSORS;
            }
        }
        for (uint32_t i = 0; i < o_nout(m, op); i++) {
            if (t_const(m, o_out(m, op, i))) {
                return EM_MODEL_BAD_OP_TENSORS;
            }
        }
        if ((e = validate_op(m, op)) != EM_MODEL_OK) {
            return e;
        }
    }
    m->failed_op = UINT32_MAX;
    if (!arena || arena_bytes < need) {
        return EM_MODEL_ARENA_TOO_SMALL;
    }
    m->arena = arena;
    m->arena_bytes = arena_bytes;
    em_model_reset_state(m);
    return EM_MODEL_OK;
}

void em_model_reset_state(const em_model *m)
{
    if (!m || !m->bytes || !m->arena) {
        return;
    }
    for (uint32_t t = 0; t < TENSOR_COUNT(m); t++) {
        if (t_state(m, t)) {
            /* TFLM's ResetVariableTensors: an int8 state starts at its zero point, any other type at 0. */
            int fill = t_type(m, t) == T_INT8 ? (int)rdi32(m->bytes, trec(m, t) + 28) : 0;
            memset(t_arena(m, t), fill & 0xFF, t_bytes(m, t));
        }
    }
}

static uint8_t *io_tensor(const em_model *m, uint32_t slot, uint32_t *bytes)
{
    uint32_t t = rd16(m->bytes, IO_TABLE(m) + 2 * slot);
    if (bytes) {
        *bytes = t_bytes(m, t);
    }
    return t_arena(m, t);
}

uint8_t *em_model_input(const em_model *m, uint32_t index, uint32_t *bytes)
{
    return (m && m->arena && index < INPUT_COUNT(m)) ? io_tensor(m, index, bytes) : NULL;
}

uint8_t *em_model_output(const em_model *m, uint32_t index, uint32_t *bytes)
{
    return (m && m->arena && index < OUTPUT_COUNT(m)) ? io_tensor(m, INPUT_COUNT(m) + index, bytes) : NULL;
}

uint8_t *em_model_op_output(const em_model *m, uint32_t op, uint32_t *bytes)
{
    if (!m || !m->arena || op >= OP_COUNT(m)) {
        return NULL;
    }
    uint32_t t = o_out(m, op, 0);
    if (bytes) {
        *bytes = t_bytes(m, t);
    }
    return t_arena(m, t);
}

/* ---- invoke: resolve pointers, call the kernel ---- */
static em_status run_op(const em_model *m, uint32_t op)
{
    const uint32_t code = o_code(m, op);
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    switch (code) {
    case OP_CONV:
    case OP_DEPTHWISE: {
        em_conv_params p;
        o_params(m, op, &p, sizeof p);
        const uint32_t f = o_in(m, op, 1);
        em_requant q = {array_at(m, p.multipliers_at), array_at(m, p.shifts_at), array_at(m, p.bias_at)};
        em_dims di = t_dims4(m, in0), df = t_dims4(m, f), dout = t_dims4(m, out);
        const int8_t *x = (const int8_t *)t_data(m, in0);
        const int8_t *w = (const int8_t *)t_data(m, f);
        int8_t *y = (int8_t *)t_arena(m, out);
        return code == OP_CONV ? em_conv_s8(&p, &q, &di, x, &df, w, &dout, y) : em_depthwise_conv_s8(&p, &q, &di, x, &df, w, &dout, y);
    }
    case OP_FC: {
        em_fc_params p;
        o_params(m, op, &p, sizeof p);
        const uint32_t f = o_in(m, op, 1);
        em_requant q = {array_at(m, p.multipliers_at), array_at(m, p.shifts_at), array_at(m, p.bias_at)};
        const int32_t out_depth = t_dim(m, f, 0);
        return em_fully_connected_s8(&p, &q, t_count(m, out) / out_depth, t_dim(m, f, 1), out_depth,
                                     (const int8_t *)t_data(m, in0), (const int8_t *)t_data(m, f), (int8_t *)t_arena(m, out));
    }
    case OP_CONV_S16:
    case OP_DEPTHWISE_S16: {
        em_conv_s16_params p;
        o_params(m, op, &p, sizeof p);
        const uint32_t f = o_in(m, op, 1);
        em_requant q = {array_at(m, p.multipliers_at), array_at(m, p.shifts_at), array_at(m, p.bias_at)};
        em_dims di = t_dims4(m, in0), df = t_dims4(m, f), dout = t_dims4(m, out);
        const int16_t *x = (const int16_t *)(const void *)t_data(m, in0);
        int16_t *y = (int16_t *)(void *)t_arena(m, out);
        return code == OP_CONV_S16 ? em_conv_s16(&p, &q, &di, x, &df, (const int8_t *)t_data(m, f), &dout, y)
                                   : em_depthwise_conv_s16(&p, &q, &di, x, &df, (const int8_t *)t_data(m, f), &dout, y);
    }
    case OP_FC_S16: {
        em_fc_s16_params p;
        o_params(m, op, &p, sizeof p);
        const uint32_t f = o_in(m, op, 1);
        em_requant q = {array_at(m, p.multipliers_at), array_at(m, p.shifts_at), array_at(m, p.bias_at)};
        const int32_t out_depth = t_dim(m, f, 0);
        return em_fully_connected_s16(&p, &q, t_count(m, out) / out_depth, t_dim(m, f, 1), out_depth,
                                      (const int16_t *)(const void *)t_data(m, in0), (const int8_t *)t_data(m, f),
                                      (int16_t *)(void *)t_arena(m, out));
    }
    case OP_AVG_POOL:
    case OP_MAX_POOL: {
        em_pool_params p;
        o_params(m, op, &p, sizeof p);
        em_dims di = t_dims4(m, in0), dout = t_dims4(m, out);
        if (t_type(m, in0) == T_INT16) {
            const int16_t *x = (const int16_t *)(const void *)t_data(m, in0);
            int16_t *y = (int16_t *)(void *)t_arena(m, out);
            return code == OP_AVG_POOL ? em_avg_pool_s16(&p, &di, x, &dout, y) : em_max_pool_s16(&p, &di, x, &dout, y);
        }
        return code == OP_AVG_POOL ? em_avg_pool_s8(&p, &di, (const int8_t *)t_data(m, in0), &dout, (int8_t *)t_arena(m, out))
                                   : em_max_pool_s8(&p, &di, (const int8_t *)t_data(m, in0), &dout, (int8_t *)t_arena(m, out));
    }
    case OP_RESHAPE:
        return EM_OK;
    case OP_SVDF: {
        em_svdf_params p;
        o_params(m, op, &p, sizeof p);
        const uint32_t wf = o_in(m, op, 1), wt = o_in(m, op, 2), st = o_in(m, op, 3);
        const em_svdf_shape s = {t_dim(m, in0, 0), t_dim(m, in0, 1), t_dim(m, wf, 0), t_dim(m, wt, 1)};
        const int32_t *offsets = array_at(m, p.feature_offsets_at), *bias = array_at(m, p.bias_at);
        const int8_t *x = (const int8_t *)t_data(m, in0), *w = (const int8_t *)t_data(m, wf);
        if (t_type(m, st) == T_INT16) {
            return em_svdf_s8_state16(&p, &s, offsets, bias, x, w, (const int16_t *)(const void *)t_data(m, wt),
                                      (int16_t *)(void *)t_arena(m, st), (int8_t *)t_arena(m, out));
        }
        return em_svdf_s8(&p, &s, offsets, bias, x, w, (const int8_t *)t_data(m, wt), (int8_t *)t_arena(m, st),
                          (int8_t *)t_arena(m, out));
    }
    case OP_SOFTMAX: {
        em_softmax_params p;
        o_params(m, op, &p, sizeof p);
        const int32_t depth = t_last_dim(m, in0);
        if (t_type(m, out) == T_INT16) {
            return em_softmax_s8_s16(&p, t_count(m, in0) / depth, depth, (const int8_t *)t_data(m, in0), (int16_t *)(void *)t_arena(m, out));
        }
        return em_softmax_s8(&p, t_count(m, in0) / depth, depth, (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out));
    }
    case OP_SOFTMAX_S16: {
        em_softmax_s16_params p;
        o_params(m, op, &p, sizeof p);
        const int32_t depth = t_last_dim(m, in0);
        return em_softmax_s16(&p, (const int16_t *)(const void *)array_at(m, p.exp_table_at),
                              (const int16_t *)(const void *)array_at(m, p.reciprocal_table_at), t_count(m, in0) / depth, depth,
                              (const int16_t *)(const void *)t_data(m, in0), (int16_t *)(void *)t_arena(m, out));
    }
    case OP_ADD: {
        em_add_params p;
        o_params(m, op, &p, sizeof p);
        const uint32_t in1 = o_in(m, op, 1);
        em_dims da = t_dims4(m, in0), db = t_dims4(m, in1), dout = t_dims4(m, out);
        if (t_type(m, out) == T_INT16) {
            return em_add_s16(&p, &da, (const int16_t *)(const void *)t_data(m, in0), &db, (const int16_t *)(const void *)t_data(m, in1),
                              &dout, (int16_t *)(void *)t_arena(m, out));
        }
        return em_add_s8(&p, &da, (const int8_t *)t_data(m, in0), &db, (const int8_t *)t_data(m, in1), &dout, (int8_t *)t_arena(m, out));
    }
    case OP_MEAN: {
        em_mean_params p;
        o_params(m, op, &p, sizeof p);
        em_dims di = t_dims4(m, in0);
        if (t_type(m, in0) == T_INT16) {
            return em_mean_s16(&p, &di, (const int16_t *)(const void *)t_data(m, in0), (int16_t *)(void *)t_arena(m, out));
        }
        return em_mean_s8(&p, &di, (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out));
    }
    case OP_LOGISTIC:
    case OP_TANH: {
        em_activation_params p;
        o_params(m, op, &p, sizeof p);
        return code == OP_LOGISTIC ? em_logistic_s8(&p, t_count(m, in0), (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out))
                                   : em_tanh_s8(&p, t_count(m, in0), (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out));
    }
    case OP_QUANTIZE: {
        em_quantize_params p;
        o_params(m, op, &p, sizeof p);
        return em_quantize(&p, t_count(m, in0), (int32_t)t_type(m, in0), t_data(m, in0), (int32_t)t_type(m, out), t_arena(m, out));
    }
    case OP_DEQUANTIZE: {
        em_dequantize_params p;
        o_params(m, op, &p, sizeof p);
        return em_dequantize(&p, t_count(m, in0), (int32_t)t_type(m, in0), t_data(m, in0), (float *)(void *)t_arena(m, out));
    }
    default:
        return EM_ERR_UNSUPPORTED;
    }
}

em_status em_run_op(const uint8_t *bytes, uint32_t length, uint8_t *arena, uint32_t arena_bytes, uint32_t op)
{
    if (!bytes || !arena || length < HEADER_BYTES) {
        return EM_ERR_NULL;
    }
    /* Cheap guards only: the full validation ran when the model was loaded. */
    if (rd32(bytes, 0) != MAGIC || rd32(bytes, 8) != length || rd32(bytes, 16) > arena_bytes || op >= rd16(bytes, 22)) {
        return EM_ERR_PARAMS;
    }
    em_model m;
    m.bytes = bytes;
    m.length = length;
    m.arena = arena;
    m.arena_bytes = arena_bytes;
    m.failed_op = UINT32_MAX;
    return run_op(&m, op);
}

uint32_t em_model_op_count(const em_model *m) { return (m && m->arena) ? OP_COUNT(m) : 0; }

em_status em_model_invoke_op(const em_model *m, uint32_t op)
{
    if (!m || !m->bytes || !m->arena) {
        return EM_ERR_NULL;
    }
    return op < OP_COUNT(m) ? run_op(m, op) : EM_ERR_PARAMS;
}

em_status em_model_invoke(const em_model *m)
{
    if (!m || !m->bytes || !m->arena) {
        return EM_ERR_NULL;
    }
    for (uint32_t op = 0; op < OP_COUNT(m); op++) {
        em_status s = run_op(m, op);
        if (s != EM_OK) {
            return s;
        }
    }
    return EM_OK;
}
