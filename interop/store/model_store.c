/*
 * The model store on NOR flash: two slots and a two-sector state (interop/include/em_model_store.h).
 */
#include "em_model_store.h"

#include <stddef.h>
#include <string.h>

#define SLOT_MAGIC 0x544F4C53u  /* "SLOT" */
#define STATE_MAGIC 0x54415453u /* "STAT" */
#define HEADER_BYTES 16u
#define STATE_FIXED_BYTES 16u   /* magic, sequence, active slot, settings length */

static uint32_t crc32_update(uint32_t crc, const uint8_t *data, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }
    return crc;
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int valid(const em_flash *f, uint32_t slot) { return f && f->read && f->write && f->erase && slot <= 1u && f->sector_bytes >= 2u * HEADER_BYTES; }

em_store_status em_store_slot_capacity(const em_flash *f, uint32_t slot, uint32_t *bytes)
{
    if (!valid(f, slot) || !bytes || f->part_bytes[slot] < 2u * f->sector_bytes) {
        return EM_STORE_ERR_ARGS;
    }
    const uint64_t by_bitmap = (uint64_t)(f->sector_bytes - HEADER_BYTES) * 8u * EM_STORE_CHUNK_BYTES;
    const uint32_t by_space = f->part_bytes[slot] - f->sector_bytes;
    *bytes = by_bitmap < by_space ? (uint32_t)by_bitmap : by_space;
    return EM_STORE_OK;
}

em_store_status em_store_prepare(const em_flash *f, uint32_t slot, uint32_t length, uint32_t crc)
{
    uint32_t capacity;
    if (em_store_slot_capacity(f, slot, &capacity) != EM_STORE_OK || length > capacity) {
        return EM_STORE_ERR_ARGS;
    }
    /* The header sector first: a cut after it leaves a slot that is not prepared (0xFF header). */
    const uint32_t data_sectors = (length + f->sector_bytes - 1u) / f->sector_bytes;
    if (f->erase(f->ctx, slot, 0, f->sector_bytes) != 0 ||
        (data_sectors > 0 && f->erase(f->ctx, slot, f->sector_bytes, data_sectors * f->sector_bytes) != 0)) {
        return EM_STORE_ERR_FLASH;
    }
    if (length == 0) {
        return EM_STORE_OK;
    }
    uint8_t header[HEADER_BYTES];
    wr32(header, SLOT_MAGIC);
    wr32(header + 4, length);
    wr32(header + 8, crc);
    wr32(header + 12, ~crc32_update(0xFFFFFFFFu, header, 12));
    return f->write(f->ctx, slot, 0, header, HEADER_BYTES) == 0 ? EM_STORE_OK : EM_STORE_ERR_FLASH;
}

em_store_status em_store_prepared(const em_flash *f, uint32_t slot, uint32_t *length, uint32_t *crc, uint32_t *written)
{
    if (!valid(f, slot) || !length || !crc || !written) {
        return EM_STORE_ERR_ARGS;
    }
    *length = *crc = *written = 0;
    uint8_t header[HEADER_BYTES];
    if (f->read(f->ctx, slot, 0, header, HEADER_BYTES) != 0) {
        return EM_STORE_ERR_FLASH;
    }
    uint32_t capacity;
    if (rd32(header) != SLOT_MAGIC || rd32(header + 12) != ~crc32_update(0xFFFFFFFFu, header, 12) ||
        em_store_slot_capacity(f, slot, &capacity) != EM_STORE_OK || rd32(header + 4) > capacity) {
        return EM_STORE_OK; /* never prepared, or a cut during prepare: an empty slot */
    }
    *length = rd32(header + 4);
    *crc = rd32(header + 8);
    /* Written chunks: the cleared bits of the bitmap, which clears them in order. */
    const uint32_t chunks = (*length + EM_STORE_CHUNK_BYTES - 1u) / EM_STORE_CHUNK_BYTES;
    uint32_t done = 0;
    for (uint32_t byte = 0; byte * 8u < chunks; byte++) {
        uint8_t b;
        if (f->read(f->ctx, slot, HEADER_BYTES + byte, &b, 1) != 0) {
            return EM_STORE_ERR_FLASH;
        }
        for (int bit = 0; bit < 8 && done < chunks && !(b & (1u << bit)); bit++) {
            done++;
        }
        if (done < (byte + 1u) * 8u) {
            break;
        }
    }
    const uint64_t bytes = (uint64_t)done * EM_STORE_CHUNK_BYTES;
    *written = bytes < *length ? (uint32_t)bytes : *length;
    return EM_STORE_OK;
}

em_store_status em_store_append(const em_flash *f, uint32_t slot, const uint8_t *data, uint32_t n)
{
    uint32_t length, crc, written;
    em_store_status s = em_store_prepared(f, slot, &length, &crc, &written);
    if (s != EM_STORE_OK) {
        return s;
    }
    if (!data || n == 0 || length == 0) {
        return EM_STORE_ERR_ARGS;
    }
    if (written % EM_STORE_CHUNK_BYTES != 0 || written + n > length || (n != EM_STORE_CHUNK_BYTES && written + n != length)) {
        return EM_STORE_ERR_ORDER;
    }
    /* The data, then its bit: a cut between the two rewrites the same chunk (NOR: the same bits clear again). */
    const uint32_t chunk = written / EM_STORE_CHUNK_BYTES;
    uint8_t mark;
    if (f->write(f->ctx, slot, f->sector_bytes + written, data, n) != 0 ||
        f->read(f->ctx, slot, HEADER_BYTES + chunk / 8u, &mark, 1) != 0) {
        return EM_STORE_ERR_FLASH;
    }
    mark = (uint8_t)(mark & ~(1u << (chunk % 8u)));
    return f->write(f->ctx, slot, HEADER_BYTES + chunk / 8u, &mark, 1) == 0 ? EM_STORE_OK : EM_STORE_ERR_FLASH;
}

em_store_status em_store_read(const em_flash *f, uint32_t slot, uint32_t offset, uint8_t *dst, uint32_t n)
{
    uint32_t capacity;
    if (em_store_slot_capacity(f, slot, &capacity) != EM_STORE_OK || !dst || (uint64_t)offset + n > capacity) {
        return EM_STORE_ERR_ARGS;
    }
    return f->read(f->ctx, slot, f->sector_bytes + offset, dst, n) == 0 ? EM_STORE_OK : EM_STORE_ERR_FLASH;
}

const uint8_t *em_store_map(const em_flash *f, uint32_t slot, uint32_t length)
{
    uint32_t capacity;
    if (em_store_slot_capacity(f, slot, &capacity) != EM_STORE_OK || !f->map || length > capacity) {
        return NULL;
    }
    return f->map(f->ctx, slot, f->sector_bytes, length);
}

/* Reads the record of state sector `which`; 1 if it is whole (magic and CRC), else 0. */
static int read_record(const em_flash *f, uint32_t which, uint32_t *sequence, int32_t *active, uint8_t *settings,
                       uint32_t capacity, uint32_t *settings_len)
{
    uint8_t fixed[STATE_FIXED_BYTES];
    const uint32_t base = which * f->sector_bytes;
    if (f->read(f->ctx, EM_STORE_PART_STATE, base, fixed, STATE_FIXED_BYTES) != 0 || rd32(fixed) != STATE_MAGIC) {
        return 0;
    }
    const uint32_t n = rd32(fixed + 12);
    if (n > EM_STORE_MAX_SETTINGS || STATE_FIXED_BYTES + n + 4u > f->sector_bytes) {
        return 0;
    }
    uint32_t crc = crc32_update(0xFFFFFFFFu, fixed, STATE_FIXED_BYTES);
    uint8_t piece[64];
    for (uint32_t done = 0; done < n; done += sizeof piece) {
        const uint32_t count = n - done < sizeof piece ? n - done : (uint32_t)sizeof piece;
        if (f->read(f->ctx, EM_STORE_PART_STATE, base + STATE_FIXED_BYTES + done, piece, count) != 0) {
            return 0;
        }
        crc = crc32_update(crc, piece, count);
        if (settings && done < capacity) {
            memcpy(settings + done, piece, capacity - done < count ? capacity - done : count);
        }
    }
    uint8_t stored[4];
    if (f->read(f->ctx, EM_STORE_PART_STATE, base + STATE_FIXED_BYTES + n, stored, 4) != 0 || rd32(stored) != ~crc) {
        return 0;
    }
    *sequence = rd32(fixed + 4);
    *active = (int32_t)rd32(fixed + 8);
    *settings_len = n;
    return 1;
}

/* The sector holding the newest whole record (0 or 1), or -1 if neither does. */
static int newest(const em_flash *f, uint32_t *sequence)
{
    uint32_t seq[2], len;
    int32_t active;
    const int ok0 = read_record(f, 0, &seq[0], &active, NULL, 0, &len);
    const int ok1 = read_record(f, 1, &seq[1], &active, NULL, 0, &len);
    if (!ok0 && !ok1) {
        return -1;
    }
    const int which = ok0 && (!ok1 || seq[0] > seq[1]) ? 0 : 1;
    *sequence = seq[which];
    return which;
}

em_store_status em_store_state(const em_flash *f, int32_t *active_slot, uint8_t *settings, uint32_t capacity, uint32_t *settings_len)
{
    if (!valid(f, 0) || !active_slot || !settings_len || f->part_bytes[EM_STORE_PART_STATE] < 2u * f->sector_bytes) {
        return EM_STORE_ERR_ARGS;
    }
    *active_slot = -1;
    *settings_len = 0;
    uint32_t sequence;
    const int which = newest(f, &sequence);
    if (which >= 0) {
        uint32_t seq;
        read_record(f, (uint32_t)which, &seq, active_slot, settings, capacity, settings_len);
        if (*active_slot != 0 && *active_slot != 1) {
            *active_slot = -1;
        }
    }
    return EM_STORE_OK;
}

em_store_status em_store_write_state(const em_flash *f, int32_t active_slot, const uint8_t *settings, uint32_t settings_len)
{
    if (!valid(f, 0) || active_slot < -1 || active_slot > 1 || settings_len > EM_STORE_MAX_SETTINGS || (settings_len > 0 && !settings) ||
        f->part_bytes[EM_STORE_PART_STATE] < 2u * f->sector_bytes || STATE_FIXED_BYTES + settings_len + 4u > f->sector_bytes) {
        return EM_STORE_ERR_ARGS;
    }
    uint32_t sequence = 0;
    const int current = newest(f, &sequence);
    const uint32_t target = current == 0 ? 1u : 0u;
    uint8_t fixed[STATE_FIXED_BYTES], tail[4];
    wr32(fixed, STATE_MAGIC);
    wr32(fixed + 4, current < 0 ? 1u : sequence + 1u);
    wr32(fixed + 8, (uint32_t)active_slot);
    wr32(fixed + 12, settings_len);
    uint32_t crc = crc32_update(0xFFFFFFFFu, fixed, STATE_FIXED_BYTES);
    crc = crc32_update(crc, settings, settings_len);
    wr32(tail, ~crc);
    const uint32_t base = target * f->sector_bytes;
    if (f->erase(f->ctx, EM_STORE_PART_STATE, base, f->sector_bytes) != 0 ||
        f->write(f->ctx, EM_STORE_PART_STATE, base, fixed, STATE_FIXED_BYTES) != 0 ||
        (settings_len > 0 && f->write(f->ctx, EM_STORE_PART_STATE, base + STATE_FIXED_BYTES, settings, settings_len) != 0) ||
        f->write(f->ctx, EM_STORE_PART_STATE, base + STATE_FIXED_BYTES + settings_len, tail, 4) != 0) {
        return EM_STORE_ERR_FLASH;
    }
    return EM_STORE_OK;
}
