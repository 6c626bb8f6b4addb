//-----------------------------------------------------------------------------
//
//    Edge.Micro native kernels for nanoFramework: the implementation of
//    Edge.Micro.Interop.NativeKernels.RunOp(byte[] model, byte[] arena, int op).
//    (Hand-written; the method table and checksum beside it are generated.)
//
//-----------------------------------------------------------------------------

#include "Edge_Micro_Interop.h"

extern "C"
{
#include "edge_micro.h"
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_NativeKernels::RunOp___STATIC__I4__SZARRAY_U1__SZARRAY_U1__I4(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock_Array *model = stack.Arg0().DereferenceArray();
    CLR_RT_HeapBlock_Array *arena = stack.Arg1().DereferenceArray();
    CLR_INT32 op = stack.Arg2().NumericByRef().s4;
    FAULT_ON_NULL(model);
    FAULT_ON_NULL(arena);

    // The garbage collector compacts: these pointers are valid only during this call, and nothing keeps them.
    // The model was validated by the managed loader (Model), which applies the native runner's rules.
    stack.SetResult_I4((CLR_INT32)em_run_op(
        model->GetFirstElement(),
        model->m_numOfElements,
        arena->GetFirstElement(),
        arena->m_numOfElements,
        (uint32_t)op));

    NANOCLR_NOCLEANUP();
}
