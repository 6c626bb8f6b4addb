//-----------------------------------------------------------------------------
//
//    Edge.Micro native kernels for nanoFramework: the implementation of
//    Edge.Micro.Interop.NativeKernels.RunOp(byte[] model, byte[] arena, int op) and
//    RunFlashOp(byte[] arena, int op) (the image's model, read in place from flash) and
//    RunSlotOp(int slot, int length, byte[] arena, int op) (a model of the image's store, in place in its slot).
//    (Hand-written; the method table and checksum beside it are generated.)
//
//-----------------------------------------------------------------------------

#include "Edge_Micro_Interop.h"
#include "edge_micro_image_model.h"
#include "edge_micro_flash.h"

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

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_NativeKernels::RunFlashOp___STATIC__I4__SZARRAY_U1__I4(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock_Array *arena = stack.Arg0().DereferenceArray();
    CLR_INT32 op = stack.Arg1().NumericByRef().s4;
    FAULT_ON_NULL(arena);

    // The image's model stays in flash; the managed loader validated it through FlashModel. Without a model the
    // runner refuses the empty buffer with a status.
    stack.SetResult_I4((CLR_INT32)em_run_op(
        edge_micro_image_model_length() != 0 ? edge_micro_image_model : arena->GetFirstElement(),
        edge_micro_image_model_length(),
        arena->GetFirstElement(),
        arena->m_numOfElements,
        (uint32_t)op));

    NANOCLR_NOCLEANUP();
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_NativeKernels::RunSlotOp___STATIC__I4__I4__I4__SZARRAY_U1__I4(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    CLR_INT32 slot = stack.Arg0().NumericByRef().s4;
    CLR_INT32 length = stack.Arg1().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *arena = stack.Arg2().DereferenceArray();
    CLR_INT32 op = stack.Arg3().NumericByRef().s4;
    const em_flash *flash = edge_micro_flash();
    const uint8_t *model = NULL;
    FAULT_ON_NULL(arena);

    // The slot stays mapped while its model runs; the managed loader validated the model through FlashSlotReader.
    model = flash != NULL && slot >= 0 && length > 0 ? em_store_map(flash, (uint32_t)slot, (uint32_t)length) : NULL;
    stack.SetResult_I4((CLR_INT32)em_run_op(
        model != NULL ? model : arena->GetFirstElement(),
        model != NULL ? (uint32_t)length : 0u,
        arena->GetFirstElement(),
        arena->m_numOfElements,
        (uint32_t)op));

    NANOCLR_NOCLEANUP();
}
