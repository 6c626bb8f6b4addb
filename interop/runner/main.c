/*
 * em_run: loads an .emm with the native runner and runs it.
 *   em_run <model.emm> [--input in.bin] [--output out.bin] [--repeat N] [--expect golden.bin]
 * Without --input the input is all zeros. The arena reuses the input tensor's bytes once they are consumed, so
 * the input is written again before every inference: each repeat runs on the same data. --expect compares the
 * output of every repeat with a golden file (a stateful model's state carries over, so use it with stateless
 * ones). Exit codes: 0 ok, 1 kernel failure or an output that differs from --expect, 2 bad input.
 * Used by the benchmarks (valgrind --tool=callgrind, N versus 2N inferences) and by plain-C firmware as an
 * example of the library entry points.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_micro.h"

static unsigned char *read_file(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(*size > 0 ? (size_t)*size : 1);
    if (data && fread(data, 1, (size_t)*size, f) != (size_t)*size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    const char *model_path = NULL, *input_path = NULL, *output_path = NULL, *expect_path = NULL;
    long repeat = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--input") == 0 && i + 1 < argc) {
            input_path = argv[++i];
        } else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) {
            output_path = argv[++i];
        } else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
            expect_path = argv[++i];
        } else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = strtol(argv[++i], NULL, 10);
        } else if (argv[i][0] != '-' && !model_path) {
            model_path = argv[i];
        } else {
            fprintf(stderr, "usage: em_run <model.emm> [--input in.bin] [--output out.bin] [--repeat N] [--expect golden.bin]\n");
            return 2;
        }
    }
    if (!model_path || repeat < 0) {
        fprintf(stderr, "usage: em_run <model.emm> [--input in.bin] [--output out.bin] [--repeat N] [--expect golden.bin]\n");
        return 2;
    }
    long size = 0;
    unsigned char *bytes = read_file(model_path, &size);
    if (!bytes) {
        fprintf(stderr, "error: cannot read %s\n", model_path);
        return 2;
    }
    uint32_t arena_bytes = em_model_arena_bytes(bytes, (uint32_t)size);
    unsigned char *arena = calloc(arena_bytes ? arena_bytes : 1, 1);
    em_model model;
    em_model_error error = em_model_load(&model, bytes, (uint32_t)size, arena, arena_bytes);
    if (error != EM_MODEL_OK) {
        fprintf(stderr, "error: %s: %s (code %d)\n", model_path, em_model_error_message(error), (int)error);
        return 2;
    }
    uint32_t input_bytes = 0;
    uint8_t *input = em_model_input(&model, 0, &input_bytes);
    unsigned char *data = calloc(input_bytes ? input_bytes : 1, 1);
    if (input_path) {
        long n = 0;
        free(data);
        data = read_file(input_path, &n);
        if (!data || (uint32_t)n != input_bytes) {
            fprintf(stderr, "error: %s must hold %u bytes\n", input_path, (unsigned)input_bytes);
            return 2;
        }
    }
    uint32_t output_bytes = 0;
    uint8_t *output = em_model_output(&model, 0, &output_bytes);
    unsigned char *expected = NULL;
    if (expect_path) {
        long n = 0;
        expected = read_file(expect_path, &n);
        if (!expected || (uint32_t)n != output_bytes) {
            fprintf(stderr, "error: %s must hold %u bytes\n", expect_path, (unsigned)output_bytes);
            return 2;
        }
    }
    for (long r = 0; r < repeat; r++) {
        memcpy(input, data, input_bytes);
        em_status s = em_model_invoke(&model);
        if (s != EM_OK) {
            fprintf(stderr, "error: kernel status %d\n", (int)s);
            return 1;
        }
        if (expected && memcmp(output, expected, output_bytes) != 0) {
            fprintf(stderr, "error: inference %ld of %ld differs from %s\n", r + 1, repeat, expect_path);
            return 1;
        }
    }
    free(data);
    free(expected);
    if (output_path) {
        FILE *f = fopen(output_path, "wb");
        if (!f || fwrite(output, 1, output_bytes, f) != output_bytes) {
            fprintf(stderr, "error: cannot write %s\n", output_path);
            return 2;
        }
        fclose(f);
    }
    free(arena);
    free(bytes);
    return 0;
}
