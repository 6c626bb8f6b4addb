/*
 * em_frontend_run: runs the native micro front end over a 16 kHz mono 16-bit WAV (44-byte header), N times.
 *   em_frontend_run <clip.wav> [--repeat N]
 * For the benchmark: valgrind --tool=callgrind instructions of 2N minus N runs, divided by N x frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge_micro.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: em_frontend_run <clip.wav> [--repeat N]\n");
        return 2;
    }
    long repeat = (argc >= 4 && strcmp(argv[2], "--repeat") == 0) ? strtol(argv[3], NULL, 10) : 1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "error: cannot read %s\n", argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 44, SEEK_SET);
    long count = (size - 44) / 2;
    int16_t *samples = malloc((size_t)(count > 0 ? count : 1) * 2);
    if (!samples || fread(samples, 2, (size_t)count, f) != (size_t)count) {
        fprintf(stderr, "error: cannot read samples\n");
        return 2;
    }
    fclose(f);
    long frames = count >= 480 ? (count - 480) / 320 + 1 : 0;
    long checksum = 0;
    for (long r = 0; r < repeat; r++) {
        uint32_t noise[40] = {0};
        for (long k = 0; k < frames; k++) {
            int8_t features[40];
            em_micro_frontend_process(noise, samples + 320 * k, features, NULL);
            checksum += features[0];
        }
    }
    printf("%ld frames x %ld, checksum %ld\n", frames, repeat, checksum);
    free(samples);
    return 0;
}
