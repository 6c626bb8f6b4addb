//-----------------------------------------------------------------------------
//
//    Edge.Micro native micro front end for nanoFramework: the implementation of
//    Edge.Micro.Interop.NativeMicroFrontend.Process(short[] samples, int offset, uint[] noise,
//    byte[] features, int featureOffset). (Hand-written; the method table and checksum are generated.)
//
//-----------------------------------------------------------------------------

#include "Edge_Micro_Interop.h"

extern "C"
{
#include "edge_micro.h"
}

HRESULT Library_Edge_Micro_Interop_Edge_Micro_Interop_NativeMicroFrontend::
    Process___STATIC__I4__SZARRAY_I2__I4__SZARRAY_U4__SZARRAY_U1__I4(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock_Array *samples = stack.Arg0().DereferenceArray();
    CLR_INT32 offset = stack.Arg1().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *noise = stack.Arg2().DereferenceArray();
    CLR_RT_HeapBlock_Array *features = stack.Arg3().DereferenceArray();
    CLR_INT32 featureOffset = stack.Arg4().NumericByRef().s4;
    FAULT_ON_NULL(samples);
    FAULT_ON_NULL(noise);
    FAULT_ON_NULL(features);

    // The managed caller checked the ranges (one 480-sample frame, 40 features, 40 noise values); check again
    // here because a wrong index would write outside a managed array.
    if (offset < 0 || (CLR_UINT32)offset + 480 > samples->m_numOfElements || featureOffset < 0 ||
        (CLR_UINT32)featureOffset + 40 > features->m_numOfElements || noise->m_numOfElements < 40)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
    }

    // Pointers into managed arrays are valid only during this call (the garbage collector compacts).
    stack.SetResult_I4((CLR_INT32)em_micro_frontend_process(
        (uint32_t *)noise->GetFirstElement(),
        (const int16_t *)samples->GetElement(offset),
        (int8_t *)features->GetElement(featureOffset),
        NULL));

    NANOCLR_NOCLEANUP();
}
