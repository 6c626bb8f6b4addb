// The model store on simulated NOR flash (writes only clear bits, erase sets whole sectors to 0xFF), with a power
// cut injected at every flash operation of an update: after each cut the store must boot on the old model or the
// new one, whole, and a transfer cut mid-way must resume where the flash says it stopped.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

extern "C" {
#include "em_model_store.h"
}

namespace {

constexpr uint32_t kSector = 4096;
constexpr uint32_t kSlotBytes = 64 * 1024;

struct RamFlash {
    std::vector<uint8_t> parts[EM_STORE_PARTS];
    long budget = -1;  // operations left before the power is cut (-1: no cut)
    bool cut = false;

    RamFlash()
    {
        parts[0].assign(kSlotBytes, 0xFF);
        parts[1].assign(kSlotBytes, 0xFF);
        parts[2].assign(2 * kSector, 0xFF);
    }

    // True if this operation may run whole; on the last allowed one it runs half and the power goes.
    bool Spend(uint32_t n, uint32_t *allowed)
    {
        *allowed = n;
        if (cut) {
            *allowed = 0;
            return false;
        }
        if (budget == 0) {
            cut = true;
            *allowed = n / 2;
            return false;
        }
        if (budget > 0) {
            budget--;
        }
        return true;
    }

    static int Read(void *ctx, uint32_t part, uint32_t offset, void *dst, uint32_t n)
    {
        auto *f = static_cast<RamFlash *>(ctx);
        if (f->cut || offset + n > f->parts[part].size()) return 1;
        std::memcpy(dst, f->parts[part].data() + offset, n);
        return 0;
    }

    static int Write(void *ctx, uint32_t part, uint32_t offset, const void *src, uint32_t n)
    {
        auto *f = static_cast<RamFlash *>(ctx);
        if (offset + n > f->parts[part].size()) return 1;
        uint32_t allowed;
        bool whole = f->Spend(n, &allowed);
        for (uint32_t i = 0; i < allowed; i++) f->parts[part][offset + i] &= static_cast<const uint8_t *>(src)[i];
        return whole ? 0 : 1;
    }

    static int Erase(void *ctx, uint32_t part, uint32_t offset, uint32_t n)
    {
        auto *f = static_cast<RamFlash *>(ctx);
        if (offset % kSector || n % kSector || offset + n > f->parts[part].size()) return 1;
        uint32_t allowed;
        bool whole = f->Spend(n, &allowed);
        std::memset(f->parts[part].data() + offset, 0xFF, allowed);
        return whole ? 0 : 1;
    }

    static const uint8_t *Map(void *ctx, uint32_t part, uint32_t offset, uint32_t) { return static_cast<RamFlash *>(ctx)->parts[part].data() + offset; }

    em_flash Bind()
    {
        em_flash f = {this, kSector, {kSlotBytes, kSlotBytes, 2 * kSector}, Read, Write, Erase, Map};
        return f;
    }

    // The same flash after a reboot: the power is back.
    void Reboot()
    {
        cut = false;
        budget = -1;
    }
};

uint32_t Crc(const std::vector<uint8_t> &v)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (uint8_t b : v) {
        crc ^= b;
        for (int i = 0; i < 8; i++) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

std::vector<uint8_t> Model(uint32_t bytes, uint8_t seed)
{
    std::vector<uint8_t> m(bytes);
    for (uint32_t i = 0; i < bytes; i++) m[i] = static_cast<uint8_t>(i * 31 + seed + (i >> 7));
    return m;
}

// Writes a whole model into a slot and makes it active; false if the flash failed (a cut).
bool Install(const em_flash &f, uint32_t slot, const std::vector<uint8_t> &model, const char *settings)
{
    if (em_store_prepare(&f, slot, static_cast<uint32_t>(model.size()), Crc(model)) != EM_STORE_OK) return false;
    for (uint32_t at = 0; at < model.size(); at += EM_STORE_CHUNK_BYTES) {
        uint32_t n = std::min<uint32_t>(EM_STORE_CHUNK_BYTES, static_cast<uint32_t>(model.size()) - at);
        if (em_store_append(&f, slot, model.data() + at, n) != EM_STORE_OK) return false;
    }
    return em_store_write_state(&f, static_cast<int32_t>(slot), reinterpret_cast<const uint8_t *>(settings),
                                static_cast<uint32_t>(std::strlen(settings))) == EM_STORE_OK;
}

std::vector<uint8_t> SlotContents(const em_flash &f, uint32_t slot)
{
    uint32_t length, crc, written;
    EXPECT_EQ(EM_STORE_OK, em_store_prepared(&f, slot, &length, &crc, &written));
    std::vector<uint8_t> out(written);
    if (written > 0) {
        EXPECT_EQ(EM_STORE_OK, em_store_read(&f, slot, 0, out.data(), written));
    }
    return out;
}

}  // namespace

TEST(ModelStore, AnInstalledModelReadsBackWithItsStateAndSettings)
{
    RamFlash ram;
    em_flash f = ram.Bind();
    std::vector<uint8_t> a = Model(26820, 1);
    ASSERT_TRUE(Install(f, 0, a, "threshold yes 180\n"));
    int32_t active;
    uint8_t settings[64];
    uint32_t n;
    ASSERT_EQ(EM_STORE_OK, em_store_state(&f, &active, settings, sizeof settings, &n));
    EXPECT_EQ(0, active);
    EXPECT_EQ(std::string("threshold yes 180\n"), std::string(reinterpret_cast<char *>(settings), n));
    EXPECT_EQ(a, SlotContents(f, 0));
    const uint8_t *mapped = em_store_map(&f, 0, 26820);
    ASSERT_NE(nullptr, mapped);
    EXPECT_EQ(0, std::memcmp(mapped, a.data(), a.size()));
}

TEST(ModelStore, APowerCutAtAnyFlashOperationOfAnUpdateBootsTheOldModelOrTheNewOne)
{
    std::vector<uint8_t> a = Model(5000, 1), b = Model(7000, 2);
    int cuts = 0, landed_new = 0;
    for (long k = 0;; k++) {
        RamFlash ram;
        em_flash f = ram.Bind();
        ASSERT_TRUE(Install(f, 0, a, "old"));
        ram.budget = k;
        bool finished = Install(f, 1, b, "new");
        ram.Reboot();
        int32_t active;
        uint8_t settings[16];
        uint32_t n;
        ASSERT_EQ(EM_STORE_OK, em_store_state(&f, &active, settings, sizeof settings, &n));
        ASSERT_TRUE(active == 0 || active == 1) << "cut " << k;
        EXPECT_EQ(active == 1 ? b : a, SlotContents(f, static_cast<uint32_t>(active))) << "cut " << k;
        EXPECT_EQ(std::string(active == 1 ? "new" : "old"), std::string(reinterpret_cast<char *>(settings), n)) << "cut " << k;
        if (finished) break;
        cuts++;
        landed_new += active == 1;
    }
    EXPECT_GT(cuts, 100);  // every prepare, chunk and state write was cut once
    EXPECT_LE(landed_new, 1);  // only a cut inside the last state write can have landed it
}

TEST(ModelStore, ATransferCutMidWayResumesAtTheChunkTheFlashHolds)
{
    std::vector<uint8_t> b = Model(9000, 3);
    for (long k : {5L, 37L, 101L}) {
        RamFlash ram;
        em_flash f = ram.Bind();
        ram.budget = k;
        Install(f, 1, b, "");
        ram.Reboot();
        uint32_t length, crc, written;
        ASSERT_EQ(EM_STORE_OK, em_store_prepared(&f, 1, &length, &crc, &written));
        if (length == 0) {
            ASSERT_EQ(EM_STORE_OK, em_store_prepare(&f, 1, 9000, Crc(b)));
            written = 0;
        }
        ASSERT_EQ(0u, written % EM_STORE_CHUNK_BYTES);
        for (uint32_t at = written; at < b.size(); at += EM_STORE_CHUNK_BYTES) {
            ASSERT_EQ(EM_STORE_OK, em_store_append(&f, 1, b.data() + at, std::min<uint32_t>(EM_STORE_CHUNK_BYTES, 9000 - at)));
        }
        EXPECT_EQ(b, SlotContents(f, 1)) << "cut " << k;
    }
}

TEST(ModelStore, BadArgumentsAndOutOfOrderChunksAreRefused)
{
    RamFlash ram;
    em_flash f = ram.Bind();
    uint8_t chunk[64] = {0};
    uint32_t capacity;
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_prepare(&f, 2, 100, 0));
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_prepare(nullptr, 0, 100, 0));
    ASSERT_EQ(EM_STORE_OK, em_store_slot_capacity(&f, 0, &capacity));
    EXPECT_EQ(kSlotBytes - kSector, capacity);
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_prepare(&f, 0, capacity + 1, 0));
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_append(&f, 0, chunk, 64));  // not prepared
    ASSERT_EQ(EM_STORE_OK, em_store_prepare(&f, 0, 200, 0));
    EXPECT_EQ(EM_STORE_ERR_ORDER, em_store_append(&f, 0, chunk, 32));  // a short chunk before the last
    ASSERT_EQ(EM_STORE_OK, em_store_append(&f, 0, chunk, 64));
    ASSERT_EQ(EM_STORE_OK, em_store_append(&f, 0, chunk, 64));
    ASSERT_EQ(EM_STORE_OK, em_store_append(&f, 0, chunk, 64));
    EXPECT_EQ(EM_STORE_ERR_ORDER, em_store_append(&f, 0, chunk, 64));  // past the 200 bytes announced
    ASSERT_EQ(EM_STORE_OK, em_store_append(&f, 0, chunk, 8));          // the last, short chunk
    EXPECT_EQ(EM_STORE_ERR_ORDER, em_store_append(&f, 0, chunk, 8));   // nothing after the end
    uint8_t out[8];
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_read(&f, 0, capacity - 4, out, 8));
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_write_state(&f, 2, nullptr, 0));
    std::vector<uint8_t> big(EM_STORE_MAX_SETTINGS + 1, 'x');
    EXPECT_EQ(EM_STORE_ERR_ARGS, em_store_write_state(&f, 0, big.data(), static_cast<uint32_t>(big.size())));
    int32_t active;
    uint32_t n;
    ASSERT_EQ(EM_STORE_OK, em_store_state(&f, &active, nullptr, 0, &n));
    EXPECT_EQ(-1, active);  // a blank state partition: no slot active
}
