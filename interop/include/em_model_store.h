/*
 * Edge.Micro model store on NOR flash (docs/fleet.md, "Model update"): two model slots and the device's state (which
 * slot runs, the saved settings) on three flash partitions, written so that a power cut at any instant leaves a
 * device that boots on the old model or the new one. C99, no malloc; every call returns a status, none aborts.
 *
 * Flash is reached through em_flash (read, write that only clears bits, erase to 0xFF by sector, optional map):
 * the ESP32 image binds it to esp_partition_* (interop/nanoframework/edge_micro_esp32_flash.c), the tests to RAM.
 *
 * Slot layout: sector 0 holds a 16-byte header (magic, length, CRC-32 of the model, CRC-32 of those three words)
 * then a progress bitmap, one bit per 64-byte chunk, cleared once the chunk is written; the model starts at sector 1.
 * State: two sectors, each one record (magic, sequence, active slot, settings length, settings, CRC-32); the valid
 * record with the higher sequence wins, and a new one always goes to the other sector.
 */
#ifndef EM_MODEL_STORE_H
#define EM_MODEL_STORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    EM_STORE_OK = 0,
    EM_STORE_ERR_ARGS = 1,  /* a null pointer, a slot other than 0 or 1, a range outside the slot */
    EM_STORE_ERR_FLASH = 2, /* the flash driver failed */
    EM_STORE_ERR_ORDER = 3  /* an append that is not the next chunk, or a chunk of other than 64 bytes before the last */
} em_store_status;

enum { EM_STORE_PART_SLOT0 = 0, EM_STORE_PART_SLOT1 = 1, EM_STORE_PART_STATE = 2, EM_STORE_PARTS = 3 };

/* Bytes per appended chunk (the console's update chunks). */
#define EM_STORE_CHUNK_BYTES 64u
/* Largest settings text kept in the state. */
#define EM_STORE_MAX_SETTINGS 1024u

typedef struct {
    void *ctx;
    uint32_t sector_bytes;                /* erase unit: 4096 on an ESP32 */
    uint32_t part_bytes[EM_STORE_PARTS];  /* sizes of slot 0, slot 1 and the state partition */
    int (*read)(void *ctx, uint32_t part, uint32_t offset, void *dst, uint32_t n);         /* 0 on success */
    int (*write)(void *ctx, uint32_t part, uint32_t offset, const void *src, uint32_t n);  /* NOR: clears bits only */
    int (*erase)(void *ctx, uint32_t part, uint32_t offset, uint32_t n);                   /* whole sectors, to 0xFF */
    const uint8_t *(*map)(void *ctx, uint32_t part, uint32_t offset, uint32_t n);          /* may be NULL */
} em_flash;

/* Bytes of model a slot holds. */
em_store_status em_store_slot_capacity(const em_flash *f, uint32_t slot, uint32_t *bytes);

/* Starts a new image of `length` bytes with CRC-32 `crc` in a slot (length 0: forget the slot). */
em_store_status em_store_prepare(const em_flash *f, uint32_t slot, uint32_t length, uint32_t crc);

/* What a slot was prepared for and how many bytes are durably written (all 0 for a slot never prepared). */
em_store_status em_store_prepared(const em_flash *f, uint32_t slot, uint32_t *length, uint32_t *crc, uint32_t *written);

/* Appends the next chunk: 64 bytes, or the rest of the image. */
em_store_status em_store_append(const em_flash *f, uint32_t slot, const uint8_t *data, uint32_t n);

/* Reads model bytes [offset, offset + n) of a slot. */
em_store_status em_store_read(const em_flash *f, uint32_t slot, uint32_t offset, uint8_t *dst, uint32_t n);

/* The model bytes of a slot in place (flash mapped into the address space), or NULL where the flash cannot map. */
const uint8_t *em_store_map(const em_flash *f, uint32_t slot, uint32_t length);

/* The state: the active slot (-1 if none) and the settings (copied up to `capacity` bytes; their full length in *settings_len). */
em_store_status em_store_state(const em_flash *f, int32_t *active_slot, uint8_t *settings, uint32_t capacity, uint32_t *settings_len);

/* Replaces the state in one step (a power cut leaves the previous one). */
em_store_status em_store_write_state(const em_flash *f, int32_t active_slot, const uint8_t *settings, uint32_t settings_len);

#ifdef __cplusplus
}
#endif

#endif /* EM_MODEL_STORE_H */
