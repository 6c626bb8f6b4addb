/*
 * FULLY_CONNECTED, int8 and 16x8 (FullyConnectedS8, FullyConnectedS16).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

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

em_model_error em_validate_fc(const em_model *m, uint32_t op)
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
    em_model_error e = em_check_requant(m, op, 4, 5, -1, channels);
    return e != EM_MODEL_OK ? e : em_check_requant(m, op, -1, -1, 7, out_depth);
}

em_model_error em_validate_fc_s16(const em_model *m, uint32_t op)
{
    if (!fc_tensors_fit(m, op, 7, T_INT16)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    int32_t out_depth = t_dim(m, o_in(m, op, 1), 0), count = o_param(m, op, 4);
    if ((count != 1 && count != out_depth) || !act_range(o_param(m, op, 0), o_param(m, op, 1), -32768, 32767)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return em_check_requant_s16(m, op, 2, 3, 5, 6, count, out_depth);
}

em_status em_run_fc(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_fc_params p;
    o_params(m, op, &p, sizeof p);
    const uint32_t f = o_in(m, op, 1);
    const em_requant q = op_requant(m, p.multipliers_at, p.shifts_at, p.bias_at);
    const int32_t out_depth = t_dim(m, f, 0);
    return em_fully_connected_s8(&p, &q, t_count(m, out) / out_depth, t_dim(m, f, 1), out_depth,
                                 (const int8_t *)t_data(m, in0), (const int8_t *)t_data(m, f), (int8_t *)t_arena(m, out));
}

em_status em_run_fc_s16(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_fc_s16_params p;
    o_params(m, op, &p, sizeof p);
    const uint32_t f = o_in(m, op, 1);
    const em_requant q = op_requant(m, p.multipliers_at, p.shifts_at, p.bias_at);
    const int32_t out_depth = t_dim(m, f, 0);
    return em_fully_connected_s16(&p, &q, t_count(m, out) / out_depth, t_dim(m, f, 1), out_depth,
                                  (const int16_t *)(const void *)t_data(m, in0), (const int8_t *)t_data(m, f),
                                  (int16_t *)(void *)t_arena(m, out));
}
