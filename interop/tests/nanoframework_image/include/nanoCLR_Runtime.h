// Stand-in for nanoFramework's nanoCLR_Runtime.h (Edge.Micro's own, for the image compile check only): a managed
// array, a heap block and a stack frame with the members a native interop stub uses. Not nanoFramework's code.
#ifndef EDGE_MICRO_STANDIN_NANOCLR_RUNTIME_H
#define EDGE_MICRO_STANDIN_NANOCLR_RUNTIME_H

#include "nanoCLR_Interop.h"

struct CLR_RT_HeapBlock_Array
{
    CLR_UINT32 m_numOfElements;
    CLR_UINT32 m_sizeOfElement;
    CLR_UINT8 *m_data;

    CLR_UINT8 *GetFirstElement() { return m_data; }
    CLR_UINT8 *GetElement(CLR_UINT32 index) { return m_data + index * m_sizeOfElement; }
};

struct CLR_RT_HeapBlock_Numeric
{
    CLR_INT32 s4;
};

struct CLR_RT_HeapBlock
{
    CLR_RT_HeapBlock_Array *array; // an array reference (null for null), or
    CLR_RT_HeapBlock_Numeric numeric; // an Int32 value

    CLR_RT_HeapBlock_Array *DereferenceArray() { return array; }
    CLR_RT_HeapBlock_Numeric &NumericByRef() { return numeric; }
};

struct CLR_RT_StackFrame
{
    CLR_RT_HeapBlock args[8];
    CLR_INT32 result;

    CLR_RT_HeapBlock &Arg0() { return args[0]; }
    CLR_RT_HeapBlock &Arg1() { return args[1]; }
    CLR_RT_HeapBlock &Arg2() { return args[2]; }
    CLR_RT_HeapBlock &Arg3() { return args[3]; }
    CLR_RT_HeapBlock &Arg4() { return args[4]; }
    void SetResult_I4(CLR_INT32 value) { result = value; }
};

#endif
