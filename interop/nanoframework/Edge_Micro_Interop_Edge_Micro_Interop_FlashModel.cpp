//-----------------------------------------------------------------------------
//
//    Edge.Micro's image model for nanoFramework: the implementation of
//    Edge.Micro.Interop.FlashModel.NativeLength() and NativeRead(int offset, byte[] destination,
//    int destinationOffset, int count). (Hand-written; the method table and checksum beside it are generated.)
//
//-----------------------------------------------------------------------------

#include <string.h>

#include "Edge_Micro_Interop.h"
#include "edge_micro_image_model.h"

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModel::NativeLength___STATIC__I4(CLR_RT_StackFrame &stack)
{
    stack.SetResult_I4((CLR_INT32)edge_micro_image_model_length());
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModel::NativeRead___STATIC__I4__I4__SZARRAY_U1__I4__I4(
    CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    CLR_INT32 offset = stack.Arg0().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *destination = stack.Arg1().DereferenceArray();
    CLR_INT32 destinationOffset = stack.Arg2().NumericByRef().s4;
    CLR_INT32 count = stack.Arg3().NumericByRef().s4;
    uint32_t length = edge_micro_image_model_length();
    FAULT_ON_NULL(destination);

    // Both ranges checked in 64 bits: a bad index returns a status (the managed side throws), never a wild copy.
    if (offset < 0 || count < 0 || destinationOffset < 0 || (uint64_t)offset + (uint64_t)count > length ||
        (uint64_t)destinationOffset + (uint64_t)count > destination->m_numOfElements)
    {
        stack.SetResult_I4(1);
    }
    else
    {
        memcpy(destination->GetElement((CLR_UINT32)destinationOffset), edge_micro_image_model + offset, (size_t)count);
        stack.SetResult_I4(0);
    }

    NANOCLR_NOCLEANUP();
}
