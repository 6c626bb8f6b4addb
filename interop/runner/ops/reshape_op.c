/*
 * RESHAPE: an alias of its input (same bytes, same place); nothing runs (ReshapeKernel).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 */
#include "../emm_records.h"
#include "../op_table.h"

em_model_error em_validate_reshape(const em_model *m, uint32_t op)
{
    const uint32_t nin = o_nin(m, op), nout = o_nout(m, op), np = o_nparams(m, op);
    if (nin != 1 || nout != 1 || np != 0) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    uint32_t in = o_in(m, op, 0), out = o_out(m, op, 0);
    if (t_const(m, in) || t_type(m, in) != t_type(m, out) || t_bytes(m, in) != t_bytes(m, out) ||
        t_location(m, in) != t_location(m, out)) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    return EM_MODEL_OK;
}

em_status em_run_reshape(const em_model *m, uint32_t op)
{
    (void)m;
    (void)op;
    return EM_OK;
}
