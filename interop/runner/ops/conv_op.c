/*
 * CONV_2D and DEPTHWISE_CONV_2D, int8 and 16x8 (ConvS8, DepthwiseConvS8, ConvS16 in the C# runtime).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_validate_conv(const em_model *m, uint32_t op)
{
    const int depthwise = o_code(m, op) == OP_DEPTHWISE;
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
    return em_check_requant(m, op, 11, 12, 13, t_dim(m, out, 3));
}

em_model_error em_validate_conv_s16(const em_model *m, uint32_t op)
{
    const int depthwise = o_code(m, op) == OP_DEPTHWISE_S16;
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
    return em_check_requant_s16(m, op, 9, 10, 11, 12, channels, channels);
}

em_status em_run_conv(const em_model *m, uint32_t op)
{
    const uint32_t code = o_code(m, op);
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_conv_params p;
    o_params(m, op, &p, sizeof p);
    const uint32_t f = o_in(m, op, 1);
    const em_requant q = op_requant(m, p.multipliers_at, p.shifts_at, p.bias_at);
    em_dims di = t_dims4(m, in0), df = t_dims4(m, f), dout = t_dims4(m, out);
    const int8_t *x = (const int8_t *)t_data(m, in0);
    const int8_t *w = (const int8_t *)t_data(m, f);
    int8_t *y = (int8_t *)t_arena(m, out);
    return code == OP_CONV ? em_conv_s8(&p, &q, &di, x, &df, w, &dout, y) : em_depthwise_conv_s8(&p, &q, &di, x, &df, w, &dout, y);
}

em_status em_run_conv_s16(const em_model *m, uint32_t op)
{
    const uint32_t code = o_code(m, op);
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_conv_s16_params p;
    o_params(m, op, &p, sizeof p);
    const uint32_t f = o_in(m, op, 1);
    const em_requant q = op_requant(m, p.multipliers_at, p.shifts_at, p.bias_at);
    em_dims di = t_dims4(m, in0), df = t_dims4(m, f), dout = t_dims4(m, out);
    const int16_t *x = (const int16_t *)(const void *)t_data(m, in0);
    int16_t *y = (int16_t *)(void *)t_arena(m, out);
    return code == OP_CONV_S16 ? em_conv_s16(&p, &q, &di, x, &df, (const int8_t *)t_data(m, f), &dout, y)
                               : em_depthwise_conv_s16(&p, &q, &di, x, &df, (const int8_t *)t_data(m, f), &dout, y);
}
