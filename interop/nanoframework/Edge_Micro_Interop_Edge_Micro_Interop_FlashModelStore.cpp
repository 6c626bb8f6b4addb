//-----------------------------------------------------------------------------
//
//    Edge.Micro's model store for nanoFramework: the implementation of the natives of
//    Edge.Micro.Interop.FlashModelStore over interop/store/model_store.c and the image's flash
//    (edge_micro_flash(): the ESP32 partitions emodel0, emodel1, emstate). Every one returns an
//    em_store_status (0 = ok); without a store they return EM_STORE_ERR_ARGS and NativeCapacity 0.
//    (Hand-written; the method table and checksum beside it are generated.)
//
//-----------------------------------------------------------------------------

#include "Edge_Micro_Interop.h"
#include "edge_micro_flash.h"


// A managed array of at least `count` elements from `offset`, checked in 64 bits.
static bool fits(CLR_RT_HeapBlock_Array *array, CLR_INT32 offset, CLR_INT32 count)
{
    return array != NULL && offset >= 0 && count >= 0 && (uint64_t)offset + (uint64_t)count <= array->m_numOfElements;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativeCapacity___STATIC__I4__I4(CLR_RT_StackFrame &stack)
{
    uint32_t bytes = 0;
    const em_flash *flash = edge_micro_flash();
    CLR_INT32 slot = stack.Arg0().NumericByRef().s4;
    if (flash == NULL || slot < 0 || em_store_slot_capacity(flash, (uint32_t)slot, &bytes) != EM_STORE_OK || bytes > 0x7FFFFFFFu)
    {
        bytes = 0;
    }
    stack.SetResult_I4((CLR_INT32)bytes);
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativePrepare___STATIC__I4__I4__I4__I4(CLR_RT_StackFrame &stack)
{
    CLR_INT32 slot = stack.Arg0().NumericByRef().s4;
    CLR_INT32 length = stack.Arg1().NumericByRef().s4;
    uint32_t crc = (uint32_t)stack.Arg2().NumericByRef().s4;
    const em_flash *flash = edge_micro_flash();
    stack.SetResult_I4(flash == NULL || slot < 0 || length < 0 ? (CLR_INT32)EM_STORE_ERR_ARGS
                                                               : (CLR_INT32)em_store_prepare(flash, (uint32_t)slot, (uint32_t)length, crc));
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativePrepared___STATIC__I4__I4__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    CLR_INT32 slot = stack.Arg0().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *result = stack.Arg1().DereferenceArray();
    const em_flash *flash = edge_micro_flash();
    uint32_t length = 0, crc = 0, written = 0;
    em_store_status status = flash == NULL || slot < 0 || !fits(result, 0, 3) ? EM_STORE_ERR_ARGS
                                                                             : em_store_prepared(flash, (uint32_t)slot, &length, &crc, &written);
    if (status == EM_STORE_OK)
    {
        CLR_INT32 *out = (CLR_INT32 *)result->GetFirstElement();
        out[0] = (CLR_INT32)length;
        out[1] = (CLR_INT32)crc;
        out[2] = (CLR_INT32)written;
    }
    stack.SetResult_I4((CLR_INT32)status);
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativeAppend___STATIC__I4__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    CLR_INT32 slot = stack.Arg0().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *data = stack.Arg1().DereferenceArray();
    CLR_INT32 offset = stack.Arg2().NumericByRef().s4;
    CLR_INT32 count = stack.Arg3().NumericByRef().s4;
    const em_flash *flash = edge_micro_flash();
    stack.SetResult_I4(flash == NULL || slot < 0 || !fits(data, offset, count)
                           ? (CLR_INT32)EM_STORE_ERR_ARGS
                           : (CLR_INT32)em_store_append(flash, (uint32_t)slot, data->GetElement((CLR_UINT32)offset), (uint32_t)count));
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativeRead___STATIC__I4__I4__I4__SZARRAY_U1__I4__I4(CLR_RT_StackFrame &stack)
{
    CLR_INT32 slot = stack.Arg0().NumericByRef().s4;
    CLR_INT32 offset = stack.Arg1().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *destination = stack.Arg2().DereferenceArray();
    CLR_INT32 destinationOffset = stack.Arg3().NumericByRef().s4;
    CLR_INT32 count = stack.Arg4().NumericByRef().s4;
    const em_flash *flash = edge_micro_flash();
    stack.SetResult_I4(flash == NULL || slot < 0 || offset < 0 || !fits(destination, destinationOffset, count)
                           ? (CLR_INT32)EM_STORE_ERR_ARGS
                           : (CLR_INT32)em_store_read(flash, (uint32_t)slot, (uint32_t)offset,
                                                      destination->GetElement((CLR_UINT32)destinationOffset), (uint32_t)count));
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativeState___STATIC__I4__SZARRAY_U1__SZARRAY_I4(CLR_RT_StackFrame &stack)
{
    CLR_RT_HeapBlock_Array *settings = stack.Arg0().DereferenceArray();
    CLR_RT_HeapBlock_Array *result = stack.Arg1().DereferenceArray();
    const em_flash *flash = edge_micro_flash();
    int32_t active = -1;
    uint32_t length = 0;
    em_store_status status = flash == NULL || settings == NULL || !fits(result, 0, 2)
                                 ? EM_STORE_ERR_ARGS
                                 : em_store_state(flash, &active, settings->GetFirstElement(), settings->m_numOfElements, &length);
    if (status == EM_STORE_OK)
    {
        CLR_INT32 *out = (CLR_INT32 *)result->GetFirstElement();
        out[0] = (CLR_INT32)active;
        out[1] = (CLR_INT32)length;
    }
    stack.SetResult_I4((CLR_INT32)status);
    return S_OK;
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore::NativeWriteState___STATIC__I4__I4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    CLR_INT32 active = stack.Arg0().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *settings = stack.Arg1().DereferenceArray();
    CLR_INT32 count = stack.Arg2().NumericByRef().s4;
    const em_flash *flash = edge_micro_flash();
    stack.SetResult_I4(flash == NULL || !fits(settings, 0, count)
                           ? (CLR_INT32)EM_STORE_ERR_ARGS
                           : (CLR_INT32)em_store_write_state(flash, active, settings->GetFirstElement(), (uint32_t)count));
    return S_OK;
}
