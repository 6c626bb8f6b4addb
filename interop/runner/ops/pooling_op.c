/*
 * AVERAGE_POOL_2D and MAX_POOL_2D, int8 and int16 (PoolingS8).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_validate_pool(const em_model *m, uint32_t op)
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

em_status em_run_pool(const em_model *m, uint32_t op)
{
    const uint32_t code = o_code(m, op);
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
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
