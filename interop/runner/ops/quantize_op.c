/*
 * QUANTIZE and DEQUANTIZE (QuantizeKernels).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_validate_quantize(const em_model *m, uint32_t op)
{
    const uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
    if (nin != 1 || nout != 1 || np != 5) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
    uint32_t it = t_type(m, in), ot = t_type(m, out);
    if ((it != T_FLOAT32 && it != T_INT8 && it != T_INT16) || (ot != T_INT8 && ot != T_INT16) || t_count(m, in) != t_count(m, out)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    int32_t bits = o_param(m, op, 1);
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    if (!in_range(o_param(m, op, 4), -31, 30) || !(scale > 0)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return EM_MODEL_OK;
}

em_model_error em_validate_dequantize(const em_model *m, uint32_t op)
{
    const uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
    if (nin != 1 || nout != 1 || np != 2) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
    uint32_t it = t_type(m, in);
    if ((it != T_INT8 && it != T_INT16) || t_type(m, out) != T_FLOAT32 || t_count(m, in) != t_count(m, out)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    return EM_MODEL_OK;
}

em_status em_run_quantize(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_quantize_params p;
    o_params(m, op, &p, sizeof p);
    return em_quantize(&p, t_count(m, in0), (int32_t)t_type(m, in0), t_data(m, in0), (int32_t)t_type(m, out), t_arena(m, out));
}

em_status em_run_dequantize(const em_model *m, uint32_t op)
{
    const uint32_t in0 = o_in(m, op, 0);
    const uint32_t out = o_out(m, op, 0);
    em_dequantize_params p;
    o_params(m, op, &p, sizeof p);
    return em_dequantize(&p, t_count(m, in0), (int32_t)t_type(m, in0), t_data(m, in0), (float *)(void *)t_arena(m, out));
}
