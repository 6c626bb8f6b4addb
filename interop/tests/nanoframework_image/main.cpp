// The nanoFramework image compile check: the interop stubs, the method table and every C source the image
// takes (as scripts/stage-nanoframework-interop.sh lays them out for nf-interpreter and the generated CMake
// module lists them) compiled and linked together against stand-in nanoCLR headers, so a missing source or
// symbol fails here; then each native method is called through the table as the CLR would call it.
#include <stdio.h>
#include <string.h>

#include "Edge_Micro_Interop.h"

extern "C"
{
#include "edge_micro.h"
}

static int failures = 0;

static void check(bool ok, const char *what)
{
    printf("%s  %s\n", ok ? "ok  " : "FAIL", what);
    failures += ok ? 0 : 1;
}

static CLR_RT_HeapBlock_Array array_of(void *data, CLR_UINT32 count, CLR_UINT32 size)
{
    CLR_RT_HeapBlock_Array a = {count, size, (CLR_UINT8 *)data};
    return a;
}

int main()
{
    const CLR_RT_NativeAssemblyData &assembly = g_CLR_AssemblyNative_Edge_Micro_Interop;
    check(strcmp(assembly.m_szAssemblyName, "Edge.Micro.Interop") == 0, "assembly name");
    check(assembly.m_checkSum != 0, "native checksum set");

    // The table holds NULL for managed methods and a handler for each native one (RunOp, then Process).
    CLR_RT_MethodHandler run_op = NULL, process = NULL;
    for (int i = 0; i < 64 && (run_op == NULL || process == NULL); i++)
    {
        if (assembly.m_pNativeMethods[i] != NULL)
        {
            (run_op == NULL ? run_op : process) = assembly.m_pNativeMethods[i];
        }
    }
    check(run_op != NULL && process != NULL, "two native methods in the lookup table");
    if (run_op == NULL || process == NULL)
    {
        return 1;
    }

    // RunOp(byte[] model, byte[] arena, int op): null arrays fault, a non-model is refused with a status.
    CLR_RT_StackFrame frame = {};
    check(run_op(frame) == CLR_E_NULL_REFERENCE, "RunOp(null, null, 0) faults with a null reference");
    CLR_UINT8 not_a_model[64] = {0}, arena[64] = {0};
    CLR_RT_HeapBlock_Array model_array = array_of(not_a_model, sizeof not_a_model, 1);
    CLR_RT_HeapBlock_Array arena_array = array_of(arena, sizeof arena, 1);
    frame.args[0].array = &model_array;
    frame.args[1].array = &arena_array;
    frame.args[2].numeric.s4 = 0;
    check(run_op(frame) == S_OK && frame.result != EM_OK, "RunOp on bytes that are not a model returns an error status");

    // Process(short[] samples, int offset, uint[] noise, byte[] features, int featureOffset): one 30 ms frame.
    int16_t samples[480];
    uint32_t noise[40] = {0};
    int8_t features[40] = {0};
    for (int i = 0; i < 480; i++)
    {
        samples[i] = (int16_t)((i % 40) * 400 - 8000);
    }
    CLR_RT_HeapBlock_Array samples_array = array_of(samples, 480, 2);
    CLR_RT_HeapBlock_Array noise_array = array_of(noise, 40, 4);
    CLR_RT_HeapBlock_Array features_array = array_of(features, 40, 1);
    CLR_RT_StackFrame fe = {};
    fe.args[0].array = &samples_array;
    fe.args[2].array = &noise_array;
    fe.args[3].array = &features_array;
    check(process(fe) == S_OK && fe.result == EM_OK, "Process runs the native front end on one frame");
    bool any = false;
    for (int i = 0; i < 40; i++)
    {
        any = any || features[i] != 0 || noise[i] != 0;
    }
    check(any, "Process wrote features and noise estimates");
    fe.args[1].numeric.s4 = 1;
    check(process(fe) == CLR_E_OUT_OF_RANGE, "Process refuses a frame past the end of the samples");

    printf("%d failure(s)\n", failures);
    return failures == 0 ? 0 : 1;
}
