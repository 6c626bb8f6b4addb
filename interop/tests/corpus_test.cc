// Every golden case of the corpus through the native runner, bit for bit: final output and every op's output.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "edge_micro.h"
#include "test_support.h"

namespace {

struct Case {
    std::string model;  // corpus folder and .emm base name
    std::string emm;
};

void run_case(const std::string &model_name, const std::string &emm_file, const std::string &case_name)
{
    const std::string corpus = em_test::corpus_dir();
    const std::string case_dir = corpus + "/" + model_name + "/" + case_name;
    std::vector<uint8_t> bytes = em_test::read_file(emm_file);
    std::vector<uint8_t> arena(em_model_arena_bytes(bytes.data(), (uint32_t)bytes.size()) + 1);
    em_model model;
    ASSERT_EQ(EM_MODEL_OK, em_model_load(&model, bytes.data(), (uint32_t)bytes.size(), arena.data(), (uint32_t)arena.size()));

    std::vector<uint8_t> input = em_test::read_file(case_dir + "/input.bin");
    uint32_t input_bytes = 0;
    uint8_t *in = em_model_input(&model, 0, &input_bytes);
    ASSERT_EQ(input.size(), input_bytes);
    std::copy(input.begin(), input.end(), in);

    // intermediates/index.txt: op index, op name, tensor, file, ...
    std::ifstream index(case_dir + "/intermediates/index.txt");
    std::vector<std::string> golden(em_model_op_count(&model));
    std::string line;
    while (std::getline(index, line)) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        unsigned op;
        std::string name, tensor, file;
        if (fields >> op >> name >> tensor >> file && op < golden.size()) {
            golden[op] = case_dir + "/intermediates/" + file;
        }
    }

    for (uint32_t op = 0; op < em_model_op_count(&model); op++) {
        ASSERT_EQ(EM_OK, em_model_invoke_op(&model, op)) << "op " << op;
        ASSERT_FALSE(golden[op].empty()) << "no golden for op " << op;
        uint32_t out_bytes = 0;
        uint8_t *out = em_model_op_output(&model, op, &out_bytes);
        std::vector<uint8_t> expected = em_test::read_file(golden[op]);
        ASSERT_EQ(expected, std::vector<uint8_t>(out, out + out_bytes)) << "op " << op << " differs from " << golden[op];
    }

    std::vector<uint8_t> expected = em_test::read_file(case_dir + "/output.bin");
    uint32_t output_bytes = 0;
    uint8_t *out = em_model_output(&model, 0, &output_bytes);
    EXPECT_EQ(expected, std::vector<uint8_t>(out, out + output_bytes));
}

void run_model(const std::string &model_name)
{
    const std::string corpus = em_test::corpus_dir();
    EM_REQUIRE_PATH(corpus);
    const std::string emm = em_test::emm_dir() + "/" + model_name + "_quantized.emm";
    EM_REQUIRE_PATH(emm);
    std::vector<std::string> cases = em_test::list_dirs(corpus + "/" + model_name);
    ASSERT_FALSE(cases.empty());
    for (const std::string &c : cases) {
        SCOPED_TRACE(model_name + "/" + c);
        run_case(model_name, emm, c);
    }
}

TEST(Corpus, MicroSpeechMatchesTflmBitForBitWithEveryIntermediate) { run_model("micro_speech"); }

TEST(Corpus, DsCnnSmallMatchesTflmBitForBitWithEveryIntermediate) { run_model("ds_cnn_s"); }

}  // namespace

// The corpus's LSTM models (converted into build/emm by scripts/test.sh): every rand_seed case with its
// intermediates, then the stateful sequence on one loaded model (hidden and cell state carried across invokes,
// as TFLM carries them), then em_model_reset_state, after which the seed-8 input gives the fresh output again.
static void run_lstm(const std::string &name)
{
    const std::string corpus = em_test::corpus_dir();
    EM_REQUIRE_PATH(corpus);
    const std::string emm = em_test::emm_dir() + "/" + name + ".emm";
    EM_REQUIRE_PATH(emm);
    const std::string model_dir = "lstm/" + name;
    int cases = 0;
    for (const std::string &c : em_test::list_dirs(corpus + "/" + model_dir)) {
        if (c.rfind("rand_seed", 0) == 0) {
            SCOPED_TRACE(model_dir + "/" + c);
            run_case(model_dir, emm, c);
            cases++;
        }
    }
    EXPECT_EQ(8, cases);

    std::vector<uint8_t> bytes = em_test::read_file(emm);
    std::vector<uint8_t> arena(em_model_arena_bytes(bytes.data(), (uint32_t)bytes.size()));
    em_model model;
    ASSERT_EQ(EM_MODEL_OK, em_model_load(&model, bytes.data(), (uint32_t)bytes.size(), arena.data(), (uint32_t)arena.size()));
    const std::string sequence = corpus + "/" + model_dir + "/stateful_seq_seeds1-8";
    auto invoke = [&](const std::string &input_file) {
        std::vector<uint8_t> input = em_test::read_file(input_file);
        uint32_t input_bytes = 0, output_bytes = 0;
        uint8_t *in = em_model_input(&model, 0, &input_bytes);
        EXPECT_EQ(input.size(), input_bytes);
        std::copy(input.begin(), input.end(), in);
        EXPECT_EQ(EM_OK, em_model_invoke(&model));
        uint8_t *out = em_model_output(&model, 0, &output_bytes);
        return std::vector<uint8_t>(out, out + output_bytes);
    };
    for (int k = 0; k < 8; k++) {
        const std::string prefix = sequence + "/invoke" + std::to_string(k);
        EXPECT_EQ(em_test::read_file(prefix + "_output.bin"), invoke(prefix + "_input.bin")) << "invoke " << k;
    }
    em_model_reset_state(&model);
    EXPECT_EQ(em_test::read_file(corpus + "/" + model_dir + "/rand_seed8/output.bin"), invoke(sequence + "/invoke7_input.bin"));
}

TEST(Corpus, LstmAMatchesTflmWithEveryIntermediateAndCarriesStateAcrossInvokes) { run_lstm("lstm_a"); }

TEST(Corpus, LstmBMatchesTflmWithEveryIntermediateAndCarriesStateAcrossInvokes) { run_lstm("lstm_b"); }
