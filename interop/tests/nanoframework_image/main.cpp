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
#include "em_model_store.h"
}

// The image's model, as the name.c that `edge-micro convert` writes defines it: here 64 bytes that are not a model.
static const uint8_t image_bytes[64] = {1, 2, 3, 4, 5, 6, 7, 8};
extern "C"
{
    extern const uint8_t *const edge_micro_image_model;
    extern const uint32_t edge_micro_image_model_bytes;
    const uint8_t *const edge_micro_image_model = image_bytes;
    const uint32_t edge_micro_image_model_bytes = sizeof image_bytes;
}

// The ESP32's flash partitions (esp_partition.h stand-in) over RAM: NOR semantics, 4 KB sectors.
#include "esp_partition.h"
static uint8_t flash_bytes[3][64 * 1024];
static const esp_partition_t partitions[3] = {
    {NULL, ESP_PARTITION_TYPE_DATA, (esp_partition_subtype_t)0x40, 0x100000, 64 * 1024, 4096, "emodel0", false, false},
    {NULL, ESP_PARTITION_TYPE_DATA, (esp_partition_subtype_t)0x40, 0x110000, 64 * 1024, 4096, "emodel1", false, false},
    {NULL, ESP_PARTITION_TYPE_DATA, (esp_partition_subtype_t)0x41, 0x120000, 8 * 1024, 4096, "emstate", false, false},
};
static int index_of(const esp_partition_t *p) { return (int)(p - partitions); }
extern "C"
{
    const esp_partition_t *esp_partition_find_first(esp_partition_type_t, esp_partition_subtype_t, const char *label)
    {
        for (const esp_partition_t &p : partitions)
        {
            if (strcmp(p.label, label) == 0) return &p;
        }
        return NULL;
    }
    esp_err_t esp_partition_read(const esp_partition_t *p, size_t offset, void *dst, size_t n)
    {
        if (offset + n > p->size) return 1;
        memcpy(dst, flash_bytes[index_of(p)] + offset, n);
        return ESP_OK;
    }
    esp_err_t esp_partition_write(const esp_partition_t *p, size_t offset, const void *src, size_t n)
    {
        if (offset + n > p->size) return 1;
        for (size_t i = 0; i < n; i++) flash_bytes[index_of(p)][offset + i] &= ((const uint8_t *)src)[i];
        return ESP_OK;
    }
    esp_err_t esp_partition_erase_range(const esp_partition_t *p, size_t offset, size_t n)
    {
        if (offset % 4096 || n % 4096 || offset + n > p->size) return 1;
        memset(flash_bytes[index_of(p)] + offset, 0xFF, n);
        return ESP_OK;
    }
    esp_err_t esp_partition_mmap(const esp_partition_t *p, size_t offset, size_t n, esp_partition_mmap_memory_t, const void **out,
                                 esp_partition_mmap_handle_t *handle)
    {
        if (offset + n > p->size) return 1;
        *out = flash_bytes[index_of(p)] + offset;
        *handle = (esp_partition_mmap_handle_t)index_of(p) + 1;
        return ESP_OK;
    }
    void esp_partition_munmap(esp_partition_mmap_handle_t) {}
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

    // The table holds NULL for managed methods and a handler for each native one: find each by name.
    typedef Library_Edge_Micro_Interop_Edge_Micro_Interop_NativeKernels Kernels;
    typedef Library_Edge_Micro_Interop_Edge_Micro_Interop_NativeMicroFrontend Frontend;
    typedef Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModel Flash;
    typedef Library_Edge_Micro_Interop_Edge_Micro_Interop_FlashModelStore Store;
    const CLR_RT_MethodHandler wanted[] = {
        Kernels::RunOp___STATIC__I4__SZARRAY_U1__SZARRAY_U1__I4,
        Kernels::RunFlashOp___STATIC__I4__SZARRAY_U1__I4,
        Frontend::Process___STATIC__I4__SZARRAY_I2__I4__SZARRAY_U4__SZARRAY_U1__I4,
        Flash::NativeLength___STATIC__I4,
        Flash::NativeRead___STATIC__I4__I4__SZARRAY_U1__I4__I4,
        Kernels::RunSlotOp___STATIC__I4__I4__I4__SZARRAY_U1__I4,
        Store::NativeCapacity___STATIC__I4__I4,
        Store::NativePrepare___STATIC__I4__I4__I4__I4,
        Store::NativePrepared___STATIC__I4__I4__SZARRAY_I4,
        Store::NativeAppend___STATIC__I4__I4__SZARRAY_U1__I4__I4,
        Store::NativeRead___STATIC__I4__I4__I4__SZARRAY_U1__I4__I4,
        Store::NativeState___STATIC__I4__SZARRAY_U1__SZARRAY_I4,
        Store::NativeWriteState___STATIC__I4__I4__SZARRAY_U1__I4,
    };
    const int kNatives = (int)(sizeof wanted / sizeof wanted[0]);
    // The table's length is private to the generated file: stop at the last native method (the table has fewer
    // than 64 entries), counting entries that are neither NULL nor one of the five.
    int found = 0, strangers = 0;
    for (int i = 0; i < 64 && found < kNatives; i++)
    {
        CLR_RT_MethodHandler entry = assembly.m_pNativeMethods[i];
        bool known = false;
        for (CLR_RT_MethodHandler h : wanted)
        {
            known = known || entry == h;
        }
        found += known ? 1 : 0;
        strangers += entry != NULL && !known ? 1 : 0;
    }
    check(found == kNatives && strangers == 0, "every native method in the lookup table, nothing else");
    CLR_RT_MethodHandler run_op = wanted[0], run_flash_op = wanted[1], process = wanted[2];
    CLR_RT_MethodHandler flash_length = wanted[3], flash_read = wanted[4];

    // FlashModel.NativeLength() / NativeRead(offset, destination, destinationOffset, count) on the image's model.
    CLR_RT_StackFrame fl = {};
    check(flash_length(fl) == S_OK && fl.result == 64, "NativeLength gives the image model's length");
    CLR_UINT8 copy[8] = {0};
    CLR_RT_HeapBlock_Array copy_array = array_of(copy, sizeof copy, 1);
    CLR_RT_StackFrame rd = {};
    rd.args[0].numeric.s4 = 2;
    rd.args[1].array = &copy_array;
    rd.args[2].numeric.s4 = 1;
    rd.args[3].numeric.s4 = 4;
    check(flash_read(rd) == S_OK && rd.result == 0 && copy[0] == 0 && copy[1] == 3 && copy[4] == 6 && copy[5] == 0,
          "NativeRead copies model bytes [2, 6) to destination [1, 5)");
    rd.args[0].numeric.s4 = 62;
    check(flash_read(rd) == S_OK && rd.result != 0, "NativeRead refuses bytes past the model's end");
    rd.args[0].numeric.s4 = 0;
    rd.args[2].numeric.s4 = 5;
    check(flash_read(rd) == S_OK && rd.result != 0, "NativeRead refuses bytes past the destination's end");
    rd.args[1].array = NULL;
    check(flash_read(rd) == CLR_E_NULL_REFERENCE, "NativeRead(.., null, ..) faults with a null reference");

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

    // RunFlashOp(byte[] arena, int op) on the image's model, which here is not a model either.
    CLR_RT_StackFrame flash_frame = {};
    check(run_flash_op(flash_frame) == CLR_E_NULL_REFERENCE, "RunFlashOp(null, 0) faults with a null reference");
    flash_frame.args[0].array = &arena_array;
    check(run_flash_op(flash_frame) == S_OK && flash_frame.result != EM_OK, "RunFlashOp on an image model that is not a model returns an error status");

    // FlashModelStore over the ESP32 partitions: capacity, a 200-byte image in 64-byte chunks, read back, the state.
    CLR_RT_StackFrame cap = {};
    check(wanted[6](cap) == S_OK && cap.result == 64 * 1024 - 4096, "NativeCapacity gives slot 0's bytes");
    CLR_RT_StackFrame prep = {};
    prep.args[0].numeric.s4 = 0;
    prep.args[1].numeric.s4 = 200;
    prep.args[2].numeric.s4 = 0x12345678;
    check(wanted[7](prep) == S_OK && prep.result == EM_STORE_OK, "NativePrepare starts a 200-byte image in slot 0");
    CLR_UINT8 image[200];
    for (int i = 0; i < 200; i++) image[i] = (CLR_UINT8)(i * 7 + 1);
    CLR_RT_HeapBlock_Array image_array = array_of(image, sizeof image, 1);
    bool appended = true;
    for (int at = 0; at < 200; at += 64)
    {
        CLR_RT_StackFrame ap = {};
        ap.args[0].numeric.s4 = 0;
        ap.args[1].array = &image_array;
        ap.args[2].numeric.s4 = at;
        ap.args[3].numeric.s4 = 200 - at < 64 ? 200 - at : 64;
        appended = appended && wanted[9](ap) == S_OK && ap.result == EM_STORE_OK;
    }
    check(appended, "NativeAppend writes the four chunks");
    CLR_INT32 prepared[3] = {0};
    CLR_RT_HeapBlock_Array prepared_array = array_of(prepared, 3, 4);
    CLR_RT_StackFrame pr = {};
    pr.args[0].numeric.s4 = 0;
    pr.args[1].array = &prepared_array;
    check(wanted[8](pr) == S_OK && pr.result == 0 && prepared[0] == 200 && prepared[1] == 0x12345678 && prepared[2] == 200,
          "NativePrepared gives the length, CRC and bytes written");
    CLR_UINT8 back[200] = {0};
    CLR_RT_HeapBlock_Array back_array = array_of(back, sizeof back, 1);
    CLR_RT_StackFrame rb = {};
    rb.args[0].numeric.s4 = 0;
    rb.args[1].numeric.s4 = 0;
    rb.args[2].array = &back_array;
    rb.args[3].numeric.s4 = 0;
    rb.args[4].numeric.s4 = 200;
    check(wanted[10](rb) == S_OK && rb.result == 0 && memcmp(back, image, 200) == 0, "NativeRead reads the image back");
    rb.args[3].numeric.s4 = 1;
    check(wanted[10](rb) == S_OK && rb.result != 0, "NativeRead refuses a range past the destination");
    CLR_UINT8 settings[16] = {'w', 'i', 'n', 'd', 'o', 'w', ' ', '8', '0', '0'};
    CLR_RT_HeapBlock_Array settings_array = array_of(settings, sizeof settings, 1);
    CLR_RT_StackFrame ws = {};
    ws.args[0].numeric.s4 = 0;
    ws.args[1].array = &settings_array;
    ws.args[2].numeric.s4 = 10;
    check(wanted[12](ws) == S_OK && ws.result == 0, "NativeWriteState makes slot 0 active with the settings");
    CLR_INT32 state[2] = {-5, -5};
    CLR_RT_HeapBlock_Array state_array = array_of(state, 2, 4);
    memset(settings, 0, sizeof settings);
    CLR_RT_StackFrame st = {};
    st.args[0].array = &settings_array;
    st.args[1].array = &state_array;
    check(wanted[11](st) == S_OK && st.result == 0 && state[0] == 0 && state[1] == 10 && memcmp(settings, "window 800", 10) == 0,
          "NativeState reads the active slot and the settings back");
    CLR_RT_StackFrame slot_frame = {};
    slot_frame.args[0].numeric.s4 = 0;
    slot_frame.args[1].numeric.s4 = 200;
    slot_frame.args[2].array = &arena_array;
    check(wanted[5](slot_frame) == S_OK && slot_frame.result != EM_OK, "RunSlotOp on a slot that holds no model returns an error status");

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
