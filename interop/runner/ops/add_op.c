/*
 * ADD with broadcasting, int8 and int16 (AddS8).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

static int broadcasts(const em_model *m, uint32_t in, uint32_t out)
{
    if (t_rank(m, in) > t_rank(m, out)) {
        return 0;
    }
    em_dims a = t_dims4(m, in), o = t_dims4(m, out);
    return (a.n == 1 || a.n == o.n) && (a.h == 1 || a.h == o.h) && (a.w == 1 || a.w == o.w) && (a.c == 1 || a.c == o.c);
}

em_model_error em_validate_add(const em_model *m, uint32_t op)
{
    const uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
    if (nin != 2 || nout != 1 || np != 12) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t a = o_in(m, op, 0), b = o_in(m, op, 1), out = o_out(m, op, 0);
    const uint32_t type = t_type(m, out);
    if ((type != T_INT8 && type != T_INT16) || t_type(m, a) != type || t_type(m, b) != type || !broadcasts(m, a, out) ||
        !broadcasts(m, b, out)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    const int32_t lo = type == T_INT16 ? -32768 : -128, hi = type == T_INT16 ? 32767 : 127;
    if (!in_range(o_param(m, op, 0), 0, 20) || !in_range(o_param(m, op, 3), -31, 0) || !in_range(o_param(m, op, 6), -31, 0) ||
        !in_range(o_param(m, op, 9), -31, 0) || !in_range(o_param(m, op, 1), -hi, -lo) ||
        !in_range(o_param(m, op, 4), -hi, -lo) || !in_range(o_param(m, op, 7), lo, hi) ||
        !act_range(o_param(m, op, 10), o_param(m, op, 11), lo, hi)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return EM_MODEL_OK;
}

em_status em_run_add(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_add_params p;
    o_params(m, op, &p, sizeof p);
    const uint32_t in1 = o_in(m, op, 1);
    em_dims da = t_dims4(m, in0), db = t_dims4(m, in1), dout = t_dims4(m, out);
    if (t_type(m, out) == T_INT16) {
        return em_add_s16(&p, &da, (const int16_t *)(const void *)t_data(m, in0), &db, (const int16_t *)(const void *)t_data(m, in1),
                          &dout, (int16_t *)(void *)t_arena(m, out));
    }
    return em_add_s8(&p, &da, (const int8_t *)t_data(m, in0), &db, (const int8_t *)t_data(m, in1), &dout, (int8_t *)t_arena(m, out));
}
