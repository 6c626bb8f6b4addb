/*
 * SVDF with int8 or int16 state (SvdfS8).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

/* SVDF: input, feature weights, time weights, state -> output (SvdfS8.Validate). */
em_model_error em_validate_svdf(const em_model *m, uint32_t op)
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

em_status em_run_svdf(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
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
