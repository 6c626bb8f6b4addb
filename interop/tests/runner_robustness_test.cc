// The native loader on hostile .emm files: every truncation and seeded random mutations (with the CRC
// repaired, so the structural validation is what is tested) load with an error code or run cleanly.
// Under AddressSanitizer any out-of-range access fails the test.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "edge_micro.h"
#include "test_support.h"

namespace {

uint32_t crc32(const uint8_t *data, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
    }
    return ~crc;
}

void repair_crc(std::vector<uint8_t> &m)
{
    if (m.size() < 16) {
        return;
    }
    uint32_t c = crc32(m.data() + 16, m.size() - 16);
    for (int i = 0; i < 4; i++) {
        m[12 + i] = (uint8_t)(c >> (8 * i));
    }
}

void load_and_maybe_run(const std::vector<uint8_t> &bytes)
{
    // Exactly the model's size: an arena that is too generous would hide overruns from ASan.
    uint32_t need = em_model_arena_bytes(bytes.data(), (uint32_t)bytes.size());
    if (need > (4u << 20)) {
        need = 0;
    }
    std::vector<uint8_t> arena(need ? need : 1);
    std::vector<uint8_t> copy(bytes);  // exact-size heap buffer for ASan
    em_model model;
    if (em_model_load(&model, copy.data(), (uint32_t)copy.size(), arena.data(), need) == EM_MODEL_OK) {
        EXPECT_EQ(EM_OK, em_model_invoke(&model));
    }
}

void hammer_file(const std::string &path, const std::string &name, int mutations)
{
    EM_REQUIRE_PATH(path);
    const std::vector<uint8_t> original = em_test::read_file(path);
    for (size_t n = 0; n < original.size(); n += 1) {
        std::vector<uint8_t> truncated(original.begin(), original.begin() + (long)n);
        em_model model;
        std::vector<uint8_t> arena(16);
        ASSERT_NE(EM_MODEL_OK, em_model_load(&model, truncated.data(), (uint32_t)truncated.size(), arena.data(), 16));
    }
    std::mt19937 gen((unsigned)name.size() * 7919u);
    for (int i = 0; i < mutations; i++) {
        std::vector<uint8_t> m(original);
        int count = 1 + (int)(gen() % 4);
        for (int k = 0; k < count; k++) {
            size_t limit = gen() % 3 == 0 ? m.size() : std::min<size_t>(m.size(), 2048);
            m[gen() % limit] = (uint8_t)gen();
        }
        repair_crc(m);
        SCOPED_TRACE("mutation " + std::to_string(i));
        load_and_maybe_run(m);
    }
}

void hammer(const std::string &name, int mutations)
{
    hammer_file(em_test::emm_dir() + "/" + name + "_quantized.emm", name, mutations);
}

// The project's own SVDF and 16x8 test models (interop/tests/models, kept current by NativeFixtureTests):
// state tensors, int16 kernels and their tables through the native loader's checks.
std::string fixture(const std::string &name)
{
    const char *repo = std::getenv("EDGE_MICRO_REPO");
    return std::string(repo ? repo : ".") + "/interop/tests/models/" + name + ".emm";
}

TEST(RunnerRobustness, MicroSpeechTruncationsAndMutations) { hammer("micro_speech", 10000); }

// The corpus's lstm_b (converted into build/emm by scripts/test.sh): the LSTM's two state tensors, eight weight
// tensors and three constant arrays through the native loader's checks.
TEST(RunnerRobustness, LstmTruncationsAndMutations) { hammer_file(em_test::emm_dir() + "/lstm_b.emm", "lstm_b", 10000); }

TEST(RunnerRobustness, SvdfModelTruncationsAndMutations) { hammer_file(fixture("svdf_test"), "svdf_test", 10000); }

TEST(RunnerRobustness, Int16ModelTruncationsAndMutations) { hammer_file(fixture("s16_test"), "s16_test", 10000); }

TEST(RunnerRobustness, Int16ActivationModelTruncationsAndMutations)
{
    hammer_file(fixture("activation_s16_test"), "activation_s16_test", 10000);
}

TEST(RunnerRobustness, DsCnnSmallTruncationsAndMutations) { hammer("ds_cnn_s", 2000); }

TEST(RunnerRobustness, WrongVersionIsNamed)
{
    std::vector<uint8_t> m(64, 0);
    m[0] = 'E'; m[1] = 'M'; m[2] = 'M'; m[3] = 'F'; m[4] = 2;
    em_model model;
    EXPECT_EQ(EM_MODEL_UNSUPPORTED_VERSION, em_model_load(&model, m.data(), (uint32_t)m.size(), nullptr, 0));
    EXPECT_STREQ("unsupported .emm format version; re-convert the model with this version of edge-micro",
                 em_model_error_message(EM_MODEL_UNSUPPORTED_VERSION));
}

}  // namespace
