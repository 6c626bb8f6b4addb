/*
 * SOFTMAX: int8 to int8 or int16, int16 to int16 (SoftmaxS8, SoftmaxS16).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

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

em_model_error em_validate_softmax(const em_model *m, uint32_t op)
{
    if (!softmax_tensors_fit(m, op, 3, T_INT8, 256)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    if (o_param(m, op, 0) <= 0 || !in_range(o_param(m, op, 1), 0, 31) || o_param(m, op, 2) > 0) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return EM_MODEL_OK;
}

em_model_error em_validate_softmax_s16(const em_model *m, uint32_t op)
{
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

em_status em_run_softmax(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_softmax_params p;
    o_params(m, op, &p, sizeof p);
    const int32_t depth = t_last_dim(m, in0);
    if (t_type(m, out) == T_INT16) {
        return em_softmax_s8_s16(&p, t_count(m, in0) / depth, depth, (const int8_t *)t_data(m, in0), (int16_t *)(void *)t_arena(m, out));
    }
    return em_softmax_s8(&p, t_count(m, in0) / depth, depth, (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out));
}

em_status em_run_softmax_s16(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_softmax_s16_params p;
    o_params(m, op, &p, sizeof p);
    const int32_t depth = t_last_dim(m, in0);
    return em_softmax_s16(&p, (const int16_t *)(const void *)array_at(m, p.exp_table_at),
                          (const int16_t *)(const void *)array_at(m, p.reciprocal_table_at), t_count(m, in0) / depth, depth,
                          (const int16_t *)(const void *)t_data(m, in0), (int16_t *)(void *)t_arena(m, out));
}
