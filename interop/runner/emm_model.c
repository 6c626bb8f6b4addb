/*
 * The native runner: .emm loading with the same validation rules and error codes as the C# loader
 * (firmware/Edge.Micro.Runtime/Model.cs and each kernel's Validate), then a whole inference with the
 * native kernels, each op through the op table (op_table.c, one file per op family in ops/). The model stays
 * where it is (flash); nothing is decoded into RAM, nothing is allocated.
 * Tensor and op records are re-read on every Invoke: a few hundred loads, negligible beside the kernels.
 */
#include "emm_records.h"
#include "op_table.h"

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
        const em_op_entry *entry = em_op_find(o_code(m, op));
        if (entry == NULL) {
            return EM_MODEL_UNKNOWN_OP;
        }
        if ((e = entry->validate(m, op)) != EM_MODEL_OK) {
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
/* ---- invoke: each op through the op table ---- */
static em_status run_op(const em_model *m, uint32_t op)
{
    const em_op_entry *entry = em_op_find(o_code(m, op));
    return entry == NULL ? EM_ERR_UNSUPPORTED : entry->run(m, op);
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
