/*
 * The requantization arrays that conv and fully connected ops carry: multipliers, shifts, biases.
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_check_requant(const em_model *m, uint32_t op, int mult_p, int shift_p, int bias_p, int32_t channels)
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

/* The requantization arrays of a 16x8 op (ConvS16.ValidateRequant): int64 bias as int32 pairs, shifts <= 7. */
em_model_error em_check_requant_s16(const em_model *m, uint32_t op, int mult_p, int shift_p, int bias_p, int bits_p,
                                  int32_t multiplier_count, int32_t channels)
{
    const int32_t bits = o_param(m, op, (uint32_t)bits_p);
    if (bits != 32 && bits != 64) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    em_model_error e = em_check_requant(m, op, mult_p, shift_p, -1, multiplier_count);
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
