// The native micro front end against TFLM's audio_preprocessor goldens: log values and int8 features of every
// frame of every corpus clip, bit for bit.
#include <gtest/gtest.h>

#include <cstring>

#include "edge_micro.h"
#include "test_support.h"

namespace {

void run_clip(const std::string &clip)
{
    const std::string corpus = em_test::corpus_dir();
    EM_REQUIRE_PATH(corpus);
    std::vector<uint8_t> wav = em_test::read_file(corpus + "/wav/" + clip + ".wav");
    ASSERT_GT(wav.size(), 44u);
    std::vector<int16_t> samples((wav.size() - 44) / 2);
    memcpy(samples.data(), wav.data() + 44, samples.size() * 2);
    const std::string dir = corpus + "/audio_preprocessor/wav_" + clip;
    std::vector<uint8_t> features = em_test::read_file(dir + "/features_int8.bin");
    std::vector<uint8_t> logs = em_test::read_file(dir + "/per_op/op013_t034.bin");
    const size_t frames = features.size() / 40;
    std::vector<uint32_t> noise(40, 0);
    for (size_t f = 0; f < frames; f++) {
        int8_t out[40];
        int16_t log_out[40];
        ASSERT_EQ(EM_OK, em_micro_frontend_process(noise.data(), samples.data() + 320 * f, out, log_out));
        for (int i = 0; i < 40; i++) {
            int16_t expected_log;
            memcpy(&expected_log, logs.data() + (f * 40 + i) * 2, 2);
            ASSERT_EQ(expected_log, log_out[i]) << clip << " frame " << f << " channel " << i;
            ASSERT_EQ((int8_t)features[f * 40 + i], out[i]) << clip << " frame " << f << " channel " << i;
        }
    }
}

TEST(MicroFrontend, YesMatchesTflm) { run_clip("yes_1000ms"); }
TEST(MicroFrontend, NoMatchesTflm) { run_clip("no_1000ms"); }
TEST(MicroFrontend, SilenceMatchesTflm) { run_clip("silence_1000ms"); }
TEST(MicroFrontend, NoiseMatchesTflm) { run_clip("noise_1000ms"); }
TEST(MicroFrontend, ShortClipsMatchTflm)
{
    run_clip("yes_30ms");
    run_clip("no_30ms");
}

TEST(MicroFrontend, NullArgumentsAreRefused)
{
    uint32_t noise[40] = {0};
    int8_t out[40];
    EXPECT_EQ(EM_ERR_NULL, em_micro_frontend_process(noise, nullptr, out, nullptr));
}

}  // namespace
