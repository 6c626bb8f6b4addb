/*
 * MEAN over height and width, int8 and int16 (MeanS8).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_validate_mean(const em_model *m, uint32_t op)
{
    const uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
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

em_status em_run_mean(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_mean_params p;
    o_params(m, op, &p, sizeof p);
    em_dims di = t_dims4(m, in0);
    if (t_type(m, in0) == T_INT16) {
        return em_mean_s16(&p, &di, (const int16_t *)(const void *)t_data(m, in0), (int16_t *)(void *)t_arena(m, out));
    }
    return em_mean_s8(&p, &di, (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out));
}
