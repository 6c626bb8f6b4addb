/*
 * What the runner's files share about an .emm file (docs/format.md): the format constants, the op codes, and
 * little-endian readers of the header, tensor and op records as they lie in the model bytes (flash). Also the
 * small range checks each op's validation uses. Internal to interop/runner: not part of the public header.
 */
#ifndef EDGE_MICRO_EMM_RECORDS_H
#define EDGE_MICRO_EMM_RECORDS_H

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
    OP_CONV_S16 = 15, OP_DEPTHWISE_S16 = 16, OP_FC_S16 = 17, OP_SOFTMAX_S16 = 18,
    OP_LOGISTIC_S16 = 19, OP_TANH_S16 = 20, OP_LSTM = 21
};
#define SOFTMAX_S16_TABLE_WORDS 257
#define SIGMOID_TABLE_WORDS 128

static inline uint32_t rd16(const uint8_t *b, uint32_t o) { return (uint32_t)b[o] | ((uint32_t)b[o + 1] << 8); }
static inline uint32_t rd32(const uint8_t *b, uint32_t o)
{
    return (uint32_t)b[o] | ((uint32_t)b[o + 1] << 8) | ((uint32_t)b[o + 2] << 16) | ((uint32_t)b[o + 3] << 24);
}
static inline int32_t rdi32(const uint8_t *b, uint32_t o) { return (int32_t)rd32(b, o); }


static inline int element_size(uint32_t type)
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
static inline uint32_t trec(const em_model *m, uint32_t t) { return TENSOR_TABLE(m) + t * TENSOR_RECORD_BYTES; }
static inline uint32_t t_type(const em_model *m, uint32_t t) { return m->bytes[trec(m, t)]; }
static inline uint32_t t_rank(const em_model *m, uint32_t t) { return m->bytes[trec(m, t) + 1]; }
static inline int t_const(const em_model *m, uint32_t t) { return m->bytes[trec(m, t) + 2] == STORAGE_CONSTANT; }
static inline int t_state(const em_model *m, uint32_t t) { return m->bytes[trec(m, t) + 2] == STORAGE_STATE; }
static inline int32_t t_dim(const em_model *m, uint32_t t, uint32_t i) { return rdi32(m->bytes, trec(m, t) + 4 + 4 * i); }
static inline uint32_t t_location(const em_model *m, uint32_t t) { return rd32(m->bytes, trec(m, t) + 20); }
static inline uint32_t t_bytes(const em_model *m, uint32_t t) { return rd32(m->bytes, trec(m, t) + 24); }
static inline int32_t t_last_dim(const em_model *m, uint32_t t) { return t_rank(m, t) == 0 ? 1 : t_dim(m, t, t_rank(m, t) - 1); }
static inline int32_t t_count(const em_model *m, uint32_t t) { return (int32_t)(t_bytes(m, t) / (uint32_t)element_size(t_type(m, t))); }

static inline const uint8_t *t_data(const em_model *m, uint32_t t)
{
    return t_const(m, t) ? m->bytes + CONST_DATA(m) + t_location(m, t) : m->arena + t_location(m, t);
}
static inline uint8_t *t_arena(const em_model *m, uint32_t t) { return m->arena + t_location(m, t); }

/* Dims right-aligned into NHWC (missing leading dimensions are 1). */
static inline em_dims t_dims4(const em_model *m, uint32_t t)
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
static inline uint32_t orec(const em_model *m, uint32_t op) { return rd32(m->bytes, OP_TABLE(m) + 4 * op); }
static inline uint32_t o_code(const em_model *m, uint32_t op) { return rd16(m->bytes, orec(m, op)); }
static inline uint32_t o_nin(const em_model *m, uint32_t op) { return m->bytes[orec(m, op) + 4]; }
static inline uint32_t o_nout(const em_model *m, uint32_t op) { return m->bytes[orec(m, op) + 5]; }
static inline uint32_t o_nparams(const em_model *m, uint32_t op) { return rd16(m->bytes, orec(m, op) + 6); }
static inline uint32_t o_in(const em_model *m, uint32_t op, uint32_t i) { return rd16(m->bytes, orec(m, op) + OP_RECORD_HEADER_BYTES + 2 * i); }
static inline uint32_t o_out(const em_model *m, uint32_t op, uint32_t i) { return o_in(m, op, o_nin(m, op) + i); }
static inline uint32_t o_params_at(const em_model *m, uint32_t op)
{
    return orec(m, op) + OP_RECORD_HEADER_BYTES + ((2 * (o_nin(m, op) + o_nout(m, op)) + 3) & ~3u);
}
static inline int32_t o_param(const em_model *m, uint32_t op, uint32_t i) { return rdi32(m->bytes, o_params_at(m, op) + 4 * i); }

/* Copies the op's int32 parameter block into a params struct (all-int32 structs, little-endian host). */
static inline void o_params(const em_model *m, uint32_t op, void *dst, size_t bytes) { memcpy(dst, m->bytes + o_params_at(m, op), bytes); }

static inline const int32_t *array_at(const em_model *m, int32_t rel)
{
    if (rel == NO_ARRAY) {
        return NULL;
    }
    return (const int32_t *)(const void *)(m->bytes + CONST_DATA(m) + (uint32_t)rel);
}

/* The requantization arrays an op record points to (multipliers, shifts, bias; NULL where a param is NO_ARRAY). */
static inline em_requant op_requant(const em_model *m, int32_t multipliers_at, int32_t shifts_at, int32_t bias_at)
{
    em_requant q = {array_at(m, multipliers_at), array_at(m, shifts_at), array_at(m, bias_at)};
    return q;
}

/* ---- validation (mirrors the C# kernels' Validate) ---- */
static inline int in_range(int32_t v, int32_t lo, int32_t hi) { return v >= lo && v <= hi; }
static inline int act_range(int32_t lo, int32_t hi, int32_t tmin, int32_t tmax) { return lo >= tmin && hi <= tmax && lo <= hi; }
static inline int int8_rank4(const em_model *m, uint32_t t) { return t_type(m, t) == T_INT8 && t_rank(m, t) == 4; }
static inline int int16_rank4(const em_model *m, uint32_t t) { return t_type(m, t) == T_INT16 && t_rank(m, t) == 4; }

static inline int has_array(const em_model *m, int32_t rel, int32_t count)
{
    return rel >= 0 && rel % 4 == 0 && count >= 0 && (uint64_t)rel + (uint64_t)count * 4u <= CONST_BYTES(m);
}

#endif
