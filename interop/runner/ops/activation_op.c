/*
 * LOGISTIC and TANH, int8 (ActivationS8) and int16 (ActivationS16).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_validate_activation(const em_model *m, uint32_t op)
{
    const uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
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

em_status em_run_activation(const em_model *m, uint32_t op)
{
    const uint32_t code = o_code(m, op);
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_activation_params p;
    o_params(m, op, &p, sizeof p);
    return code == OP_LOGISTIC ? em_logistic_s8(&p, t_count(m, in0), (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out))
                               : em_tanh_s8(&p, t_count(m, in0), (const int8_t *)t_data(m, in0), (int8_t *)t_arena(m, out));
}

/* LOGISTIC_S16 and TANH_S16 (ActivationS16): rescale parameters and the sigmoid table. */
em_model_error em_validate_activation_s16(const em_model *m, uint32_t op)
{
    if (o_nin(m, op) != 1 || o_nout(m, op) != 1 || o_nparams(m, op) != 3) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
    if (t_type(m, in) != T_INT16 || t_type(m, out) != T_INT16 || t_count(m, in) != t_count(m, out)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    const int32_t multiplier = o_param(m, op, 0);
    if (!in_range(multiplier, 0, 32767) || !in_range(o_param(m, op, 1), 0, multiplier == 0 ? 14 : 30)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return has_array(m, o_param(m, op, 2), SIGMOID_TABLE_WORDS) ? EM_MODEL_OK : EM_MODEL_ARRAY_OUT_OF_RANGE;
}

em_status em_run_activation_s16(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_activation_s16_params p;
    o_params(m, op, &p, sizeof p);
    const uint16_t *table = (const uint16_t *)(const void *)array_at(m, p.sigmoid_table_at);
    const int16_t *x = (const int16_t *)(const void *)t_data(m, in0);
    int16_t *y = (int16_t *)(void *)t_arena(m, out);
    return o_code(m, op) == OP_LOGISTIC_S16 ? em_logistic_s16(&p, table, t_count(m, in0), x, y)
                                            : em_tanh_s16(&p, table, t_count(m, in0), x, y);
}
