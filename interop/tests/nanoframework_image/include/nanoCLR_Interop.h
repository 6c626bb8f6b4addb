// Stand-in for nanoFramework's nanoCLR_Interop.h (Edge.Micro's own, for the image compile check only): the
// types and macros a native interop stub uses, with the shapes nf-interpreter gives them. Not nanoFramework's code.
#ifndef EDGE_MICRO_STANDIN_NANOCLR_INTEROP_H
#define EDGE_MICRO_STANDIN_NANOCLR_INTEROP_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t HRESULT;
typedef int32_t CLR_INT32;
typedef uint32_t CLR_UINT32;
typedef uint8_t CLR_UINT8;
typedef uint16_t CLR_UINT16;

#define S_OK ((HRESULT)0x00000000)
#define CLR_E_NULL_REFERENCE ((HRESULT)0xA1000000)
#define CLR_E_OUT_OF_RANGE ((HRESULT)0xA0000000)

#define NANOCLR_HEADER() HRESULT hr = S_OK
#define NANOCLR_NOCLEANUP()                                                                                        \
    hr = S_OK;                                                                                                     \
    nanoCLR_Cleanup:                                                                                               \
    return hr
#define NANOCLR_SET_AND_LEAVE(expr)                                                                                \
    do                                                                                                             \
    {                                                                                                              \
        hr = (expr);                                                                                               \
        goto nanoCLR_Cleanup;                                                                                      \
    } while (0)
#define FAULT_ON_NULL(ptr)                                                                                         \
    if (!(ptr))                                                                                                    \
    NANOCLR_SET_AND_LEAVE(CLR_E_NULL_REFERENCE)

struct CLR_RT_StackFrame;
typedef HRESULT (*CLR_RT_MethodHandler)(CLR_RT_StackFrame &stack);

#define NANOCLR_NATIVE_DECLARE(method) static HRESULT method(CLR_RT_StackFrame &stack)

struct CLR_RECORD_VERSION
{
    CLR_UINT16 iMajorVersion;
    CLR_UINT16 iMinorVersion;
    CLR_UINT16 iBuildNumber;
    CLR_UINT16 iRevisionNumber;
};

struct CLR_RT_NativeAssemblyData
{
    const char *m_szAssemblyName;
    CLR_UINT32 m_checkSum;
    const CLR_RT_MethodHandler *m_pNativeMethods;
    CLR_RECORD_VERSION m_Version;
};

#endif
