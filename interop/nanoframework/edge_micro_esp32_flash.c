/*
 * The model store's flash on an ESP32 image: the data partitions emodel0, emodel1 and emstate through ESP-IDF's
 * esp_partition API; slots are memory-mapped so the native kernels run a stored model in place. Other targets
 * have no store (edge_micro_flash() returns NULL and Edge.Micro.Interop.FlashModelStore.Open() says so).
 * Partition table lines (docs/fleet.md):
 *   emodel0, data, 0x40, , 256K
 *   emodel1, data, 0x40, , 256K
 *   emstate, data, 0x41, , 8K
 */
#include "edge_micro_flash.h"

#include <stddef.h>

#if defined(ESP_PLATFORM)
#include "esp_partition.h"

static const char *const labels[EM_STORE_PARTS] = {"emodel0", "emodel1", "emstate"};
static const esp_partition_t *parts[EM_STORE_PARTS];
static const void *mapped[EM_STORE_PARTS];
static esp_partition_mmap_handle_t handles[EM_STORE_PARTS];
static uint32_t mapped_bytes[EM_STORE_PARTS];
static em_flash flash;
static int initialized;

static int flash_read(void *ctx, uint32_t part, uint32_t offset, void *dst, uint32_t n)
{
    (void)ctx;
    return esp_partition_read(parts[part], offset, dst, n) == ESP_OK ? 0 : 1;
}

static int flash_write(void *ctx, uint32_t part, uint32_t offset, const void *src, uint32_t n)
{
    (void)ctx;
    return esp_partition_write(parts[part], offset, src, n) == ESP_OK ? 0 : 1;
}

static int flash_erase(void *ctx, uint32_t part, uint32_t offset, uint32_t n)
{
    (void)ctx;
    /* A slot that is being rewritten must not stay mapped (the cache would keep the old bytes). */
    if (mapped[part] != NULL) {
        esp_partition_munmap(handles[part]);
        mapped[part] = NULL;
    }
    return esp_partition_erase_range(parts[part], offset, n) == ESP_OK ? 0 : 1;
}

static const uint8_t *flash_map(void *ctx, uint32_t part, uint32_t offset, uint32_t n)
{
    (void)ctx;
    /* One mapping per slot, from the model's start, kept while the model runs; remapped if a longer one is asked. */
    if (mapped[part] != NULL && mapped_bytes[part] >= offset + n) {
        return (const uint8_t *)mapped[part] + offset;
    }
    if (mapped[part] != NULL) {
        esp_partition_munmap(handles[part]);
        mapped[part] = NULL;
    }
    if (esp_partition_mmap(parts[part], 0, offset + n, ESP_PARTITION_MMAP_DATA, &mapped[part], &handles[part]) != ESP_OK) {
        mapped[part] = NULL;
        return NULL;
    }
    mapped_bytes[part] = offset + n;
    return (const uint8_t *)mapped[part] + offset;
}

const em_flash *edge_micro_flash(void)
{
    if (!initialized) {
        initialized = 1;
        for (int i = 0; i < EM_STORE_PARTS; i++) {
            parts[i] = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, labels[i]);
            if (parts[i] == NULL) {
                return NULL;
            }
            flash.part_bytes[i] = (uint32_t)parts[i]->size;
        }
        flash.ctx = NULL;
        flash.sector_bytes = parts[0]->erase_size ? (uint32_t)parts[0]->erase_size : 4096u;
        flash.read = flash_read;
        flash.write = flash_write;
        flash.erase = flash_erase;
        flash.map = flash_map;
    }
    return parts[EM_STORE_PART_STATE] != NULL ? &flash : NULL;
}
#else
const em_flash *edge_micro_flash(void)
{
    return NULL;
}
#endif
